import os from 'node:os';
import { createEngine } from '@restain/gpu-worker';
import { type ProcessOutcome, processJob } from '@restain/gpu-worker';
import type { AppContext } from '../../src/api/app-context';

/**
 * Runs the real worker code (gpu-worker's processJob, built-in engine) on the messages waiting in
 * the context's queue, one at a time, until none is left or `max` were processed.
 */
export async function runQueuedJobs(context: AppContext, max = 10): Promise<ProcessOutcome[]> {
  const engine = await createEngine({ kind: 'builtin' });
  const outcomes: ProcessOutcome[] = [];
  try {
    const deps = {
      objects: context.objects,
      queue: context.queue,
      jobs: context.jobs,
      engine,
      tempDir: context.config.tempDir || os.tmpdir(),
      retentionSeconds: context.config.retentionSeconds,
      visibilityTimeoutSeconds: 60,
      now: context.now,
      log: () => undefined,
    };
    while (outcomes.length < max) {
      const [message] = await context.queue.receive({ waitTimeSeconds: 0, maxMessages: 1 });
      if (!message) break;
      outcomes.push(await processJob(deps, message, { concurrency: 1 }));
    }
  } finally {
    await engine.close();
  }
  return outcomes;
}

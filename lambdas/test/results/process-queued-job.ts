import { type Engine, createEngine } from '@restain/gpu-worker';
import { processJob } from '@restain/gpu-worker';
import type { JobRecord } from '@restain/shared';
import type { AppContext } from '../../src/api/app-context';

let engine: Engine | undefined;

/** The built-in engine, created once per test file. */
export async function builtinEngine(): Promise<Engine> {
  engine ??= await createEngine({ kind: 'builtin' });
  return engine;
}

export async function closeEngine(): Promise<void> {
  await engine?.close();
  engine = undefined;
}

/**
 * The platform's real worker code (gpu-worker's processJob with the built-in engine) on the next
 * queue message, waiting up to `waitSeconds` for one to arrive: the job is analysed, v1 published
 * and the job marked succeeded (or failed) exactly as `npm start`'s workers do.
 */
export async function processNextQueuedJob(context: AppContext, waitSeconds = 10): Promise<JobRecord> {
  const [message] = await context.queue.receive({ waitTimeSeconds: waitSeconds, maxMessages: 1 });
  if (!message) throw new Error(`no queued job within ${waitSeconds} s`);
  const deps = {
    objects: context.objects,
    queue: context.queue,
    jobs: context.jobs,
    engine: await builtinEngine(),
    tempDir: context.config.tempDir,
    retentionSeconds: context.config.retentionSeconds,
    visibilityTimeoutSeconds: 60,
    now: context.now,
    log: () => undefined,
  };
  const outcome = await processJob(deps, message, { concurrency: 1 });
  const { jobId } = JSON.parse(message.body) as { jobId: string };
  const record = (await context.jobs.get(jobId))?.record;
  if (!record) throw new Error(`job ${jobId} vanished while processed (${JSON.stringify(outcome)})`);
  return record;
}

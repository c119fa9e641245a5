import { readFile, rename, writeFile } from 'node:fs/promises';
import { type WorkerLog, describeError } from './worker-deps';

/** How often a live worker touches its heartbeat file (ms). */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** A heartbeat older than this means the worker's event loop is stuck or the process is gone (3 missed beats). */
export const HEARTBEAT_MAX_AGE_MS = 3 * HEARTBEAT_INTERVAL_MS;

interface Beat {
  readonly pid: number;
  /** Epoch ms of the beat. */
  readonly at: number;
}

async function beat(file: string, log: WorkerLog): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    // Rename makes the write atomic: the health check never reads half a file.
    await writeFile(temp, JSON.stringify({ pid: process.pid, at: Date.now() } satisfies Beat));
    await rename(temp, file);
  } catch (error) {
    log('heartbeat.write-failed', { file, error: describeError(error) });
  }
}

/**
 * Writes `{pid, at}` to `file` now and every HEARTBEAT_INTERVAL_MS from the worker's main thread.
 * The engine runs in worker threads, so a beat proves the loop that takes jobs, extends leases and
 * answers SIGTERM is alive, even mid-job. Returns a stop function; once its promise resolves, no
 * beat is in flight and none will be written.
 */
export function startHeartbeat(file: string, log: WorkerLog, intervalMs = HEARTBEAT_INTERVAL_MS): () => Promise<void> {
  // One beat at a time (they share the temp file): a tick while one is in flight is skipped, so a
  // stalled disk lets the heartbeat age instead of piling up writes, and stop waits for that one.
  let inFlight: Promise<void> | undefined;
  const tick = (): void => {
    inFlight ??= beat(file, log).finally(() => {
      inFlight = undefined;
    });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}

/** Why the worker whose heartbeat is `file` is unhealthy, or undefined when it beat within `maxAgeMs` of `nowMs`. */
export async function heartbeatProblem(file: string, nowMs: number, maxAgeMs = HEARTBEAT_MAX_AGE_MS): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return `no heartbeat at ${file} (${(error as NodeJS.ErrnoException).code ?? describeError(error).message})`;
  }
  let parsed: Partial<Beat>;
  try {
    parsed = JSON.parse(text) as Partial<Beat>;
  } catch {
    return `heartbeat ${file} is not JSON`;
  }
  if (typeof parsed.at !== 'number') return `heartbeat ${file} has no time`;
  const ageMs = nowMs - parsed.at;
  return ageMs > maxAgeMs ? `last heartbeat ${Math.round(ageMs / 1000)} s ago (limit ${maxAgeMs / 1000} s)` : undefined;
}

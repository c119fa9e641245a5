import type { JobRecord } from '../../jobs/job-record';
import type { ObjectStore } from '../../ports/object-store';
import { indexKeysOf } from './job-index-keys';

const EMPTY = new Uint8Array(0);

/** Runs `work` on every item, at most `limit` at a time; results in item order. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** What the index writer needs to know of a job: its record and version now, or undefined when absent. */
export interface CurrentJob {
  read(jobId: string): Promise<{ readonly record: JobRecord; readonly version: string } | undefined>;
  /** The version alone (a HEAD), or undefined when absent. */
  version(jobId: string): Promise<string | undefined>;
}

/** Rounds of settle() before it leaves the rest to readers (each round means another writer moved the job meanwhile). */
const MAX_SETTLE_ROUNDS = 10;

/**
 * Maintains the job index objects (job-index-keys.ts) beside the records, without locks:
 *   - a writer puts the entries its new record needs before its conditional record write, so
 *     lists find the record as soon as it is written;
 *   - after its write (won or lost), a writer settles every entry it touched or the job could
 *     have: it reads the record, puts the entries the record needs, deletes the others, then
 *     checks the version again and repeats if the job moved meanwhile.
 * Why this converges: the writer of the final version settles after its write, reading that
 * version; anyone whose later put or delete of an entry came from an older read sees the version
 * change on its re-check and settles again from the final version. So once writers finish, the
 * index holds exactly the entries of each record. While they run, extra entries can exist, and a
 * writer that dies between its record write and its settle leaves its old entries until the job's
 * next transition (readers check entries against records and skip those that disagree).
 */
export class JobIndexWriter {
  constructor(
    private readonly objects: ObjectStore,
    private readonly current: CurrentJob,
    private readonly concurrency: number,
  ) {}

  /** Puts empty index objects at `keys`. */
  async add(keys: readonly string[]): Promise<void> {
    await mapWithLimit(keys, this.concurrency, (key) => this.objects.put(key, EMPTY));
  }

  /** Makes each of `keys` exist exactly when job `jobId`'s current record needs it (see the class comment). */
  async settle(jobId: string, keys: readonly string[]): Promise<void> {
    const candidates = [...new Set(keys)];
    if (candidates.length === 0) return;
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      const job = await this.current.read(jobId);
      const needed = new Set(job ? indexKeysOf(job.record) : []);
      await mapWithLimit(candidates, this.concurrency, async (key) => {
        if (needed.has(key)) await this.objects.put(key, EMPTY);
        else await this.objects.delete(key);
      });
      if ((await this.current.version(jobId)) === job?.version) return;
    }
  }
}

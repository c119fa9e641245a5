import type { StateDatabase } from './state-database';

type Waker = () => void;

/** Long polls waiting per database connection and queue name, so a send in the same process wakes them at once. */
const waiters = new WeakMap<StateDatabase, Map<string, Set<Waker>>>();

/** Wakes every long poll of this process waiting on `queue` (other processes find the message by polling). */
export function wakeReceivers(db: StateDatabase, queue: string): void {
  for (const wake of waiters.get(db)?.get(queue) ?? []) wake();
}

/** Resolves after `ms`, on a send to `queue` through `db`, or when `signal` aborts, whichever is first. */
export function waitForMessage(db: StateDatabase, queue: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const byQueue = waiters.get(db) ?? new Map<string, Set<Waker>>();
    waiters.set(db, byQueue);
    const set = byQueue.get(queue) ?? new Set<Waker>();
    byQueue.set(queue, set);
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      set.delete(done);
      if (set.size === 0) byQueue.delete(queue);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    set.add(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

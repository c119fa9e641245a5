/**
 * Coalesces requests to a single busy worker: one runs at a time; while it runs, only the latest
 * request waits (each new one replaces it), so a fast slider never queues stale work.
 */
export class LatestWins<T> {
  private running = false;
  private pending: { value: T } | null = null;
  /** Requests replaced before they ran. */
  dropped = 0;

  constructor(private readonly start: (request: T) => void) {}

  submit(request: T): void {
    if (!this.running) {
      this.running = true;
      this.start(request);
      return;
    }
    if (this.pending) this.dropped++;
    this.pending = { value: request };
  }

  /** The running request finished: start the latest waiting one, if any. */
  done(): void {
    const next = this.pending;
    this.pending = null;
    this.running = next !== null;
    if (next) this.start(next.value);
  }

  get busy(): boolean {
    return this.running;
  }
}

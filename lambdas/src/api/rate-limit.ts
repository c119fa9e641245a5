import { HttpError } from './http-error';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Buckets kept at most; the least recently used is dropped first (it restarts full, which is the lenient side). */
const MAX_BUCKETS = 10_000;

/**
 * Token bucket per caller: holds up to `perMinute` requests and refills at `perMinute` per
 * minute, so a caller may burst a minute's allowance and then keeps to the steady rate.
 * `perMinute <= 0` disables limiting. Memory is bounded by MAX_BUCKETS.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => Date,
    private readonly maxBuckets = MAX_BUCKETS,
  ) {}

  /** Takes one token for `key`, or throws RATE_LIMITED with Retry-After (whole seconds until a token). */
  take(key: string): void {
    if (!(this.perMinute > 0)) return;
    const nowMs = this.now().getTime();
    const capacity = this.perMinute;
    const perMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedMs: nowMs };
    this.buckets.delete(key);
    bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, nowMs - bucket.updatedMs) * perMs);
    bucket.updatedMs = nowMs;
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    throw new HttpError(
      'RATE_LIMITED',
      `Expected at most ${this.perMinute} requests per minute but received more; retry after ${retryAfterSeconds} s`,
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}

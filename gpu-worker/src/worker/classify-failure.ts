import { type JobError, isRestainError } from '@restain/shared';

/**
 * Codes that mean the input itself is at fault: retrying cannot help, so the job fails once,
 * with the reason, and its message is deleted.
 */
export const INPUT_ERROR_CODES: ReadonlySet<string> = new Set([
  'CORRUPT_IMAGE',
  'UNSUPPORTED_FORMAT',
  'IMAGE_TOO_LARGE',
  'IMAGE_TOO_SMALL',
  'INPUT_EMPTY',
  'INVALID_ARGUMENT',
  'INPUT_NOT_FOUND',
]);

export type Failure =
  /** The input is bad: fail the job now. */
  | { readonly kind: 'input'; readonly error: JobError }
  /** The worker was asked to stop: hand the job back untouched. */
  | { readonly kind: 'cancelled' }
  /** Anything else (engine crash, storage hiccup, full disk): retry with a backoff. */
  | { readonly kind: 'transient'; readonly error: JobError };

/** Node's errno (or libvips' text) for a full disk or quota, anywhere in the cause chain. */
function isOutOfSpace(error: unknown): boolean {
  for (let at = error, depth = 0; at && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    const code = (at as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return true;
    if (/ENOSPC|no space left on device|disk quota exceeded/i.test(String((at as Error).message ?? ''))) return true;
  }
  return false;
}

/** Decides what a failed delivery means for the job; `stopping` is true once shutdown began. */
export function classifyFailure(error: unknown, stopping: boolean): Failure {
  if (stopping || (isRestainError(error) && error.code === 'CANCELLED')) return { kind: 'cancelled' };
  if (isOutOfSpace(error)) {
    return { kind: 'transient', error: { code: 'INSUFFICIENT_STORAGE', message: `The worker ran out of disk space: ${(error as Error).message}` } };
  }
  if (isRestainError(error)) {
    return INPUT_ERROR_CODES.has(error.code)
      ? { kind: 'input', error: { code: error.code, message: error.message } }
      : { kind: 'transient', error: { code: error.code, message: error.message } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'transient', error: { code: 'INTERNAL', message } };
}

/** Seconds before a failed delivery is retried: doubling from `baseSeconds`, capped at `maxSeconds`. */
export function retryDelaySeconds(receiveCount: number, baseSeconds: number, maxSeconds: number): number {
  return Math.min(maxSeconds, Math.round(baseSeconds * 2 ** Math.max(0, receiveCount - 1)));
}

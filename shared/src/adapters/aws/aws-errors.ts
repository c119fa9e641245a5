import { type ErrorCode, RestainError } from '../../errors';

/** What the SDK (v3) puts on a service error: `name` is the AWS error code. */
interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $fault?: 'client' | 'server';
}

/** The AWS error code and HTTP status of an SDK service error, or undefined for any other error. */
export function awsErrorOf(error: unknown): { readonly code: string; readonly status?: number } | undefined {
  const shape = error as SdkErrorShape | undefined;
  // Socket errors carry $metadata too, but no HTTP status and no fault side.
  if (!shape || typeof shape !== 'object' || !shape.$metadata || typeof shape.name !== 'string') return undefined;
  if (shape.$metadata.httpStatusCode === undefined && shape.$fault === undefined) return undefined;
  return { code: shape.name, status: shape.$metadata.httpStatusCode };
}

/** Codes that mean "try again later": throttling, overload, timeouts, server faults. */
const RETRY_LATER = new Set([
  'SlowDown', 'ServiceUnavailable', 'InternalError', 'RequestTimeout', 'RequestTimeTooSkewed', 'Throttling', 'ThrottlingException',
  'RequestThrottled', 'RequestLimitExceeded', 'TooManyRequestsException', 'OverLimit', 'KMS.ThrottlingException', 'TimeoutError',
]);
/** The platform's own credentials or role were refused: a deployment fault, not the caller's. */
const REFUSED = new Set(['AccessDenied', 'AccessDeniedException', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidClientTokenId', 'KMS.AccessDeniedException']);
/** Node socket errors on the way to the service. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

function codeFor(code: string, status: number | undefined): ErrorCode {
  if (code === 'PreconditionFailed' || code === 'ConditionalRequestConflict' || status === 412) return 'PRECONDITION_FAILED';
  if (code === 'NoSuchKey' || code === 'NotFound') return 'NOT_FOUND';
  if (code === 'EntityTooLarge') return 'PAYLOAD_TOO_LARGE';
  if (RETRY_LATER.has(code) || (status !== undefined && status >= 500)) return 'UNAVAILABLE';
  // Refused credentials and any other 4xx (NoSuchBucket, InvalidArgument, ...): our request or deployment is wrong.
  return 'INTERNAL';
}

/**
 * Turns an SDK or network error from `service` into a RestainError whose message says what was
 * attempted and what AWS answered; any other error (a caller's body stream failing, say) is
 * returned unchanged so callers see their own failure.
 */
export function fromAwsError(error: unknown, service: 'S3' | 'SQS', attempted: string): unknown {
  if (error instanceof RestainError) return error;
  const aws = awsErrorOf(error);
  if (aws) {
    const code = codeFor(aws.code, aws.status);
    const why = REFUSED.has(aws.code) ? ' (the platform role lacks permission or its credentials are wrong)' : '';
    return new RestainError(code, `Expected ${service} to ${attempted} but it answered ${aws.code} (HTTP ${aws.status ?? '?'})${why}`, { cause: error });
  }
  const shape = error as SdkErrorShape | undefined;
  // The SDK's retry layer rewraps an error from another realm (a test VM) as a plain message: read the code from it.
  const network = shape?.code ?? /\b(E[A-Z]{4,})\b/.exec(String(shape?.message ?? ''))?.[1];
  const name = shape?.name;
  if ((network && NETWORK.has(network)) || name === 'TimeoutError') {
    return new RestainError('UNAVAILABLE', `Expected ${service} to ${attempted} but it could not be reached (${network ?? name})`, { cause: error });
  }
  return error;
}

/** True for the error an SDK call throws when its abortSignal fired. */
export function isAbortError(error: unknown): boolean {
  const name = (error as SdkErrorShape | undefined)?.name;
  return name === 'AbortError' || (error as { code?: string } | undefined)?.code === 'ABORT_ERR';
}

/** Error codes shared by every entry point (CLI, API, workers); each maps to one HTTP status. */
export const ERROR_STATUS = {
  INVALID_ARGUMENT: 400,
  INPUT_NOT_FOUND: 404,
  INPUT_EMPTY: 422,
  UNSUPPORTED_FORMAT: 415,
  CORRUPT_IMAGE: 422,
  IMAGE_TOO_LARGE: 413,
  IMAGE_TOO_SMALL: 422,
  MODEL_INVALID: 422,
  ENGINE_FAILED: 500,
  OUTPUT_FAILED: 500,
  // Platform (API, queue, stores)
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  INSUFFICIENT_STORAGE: 507,
  // Work stopped on request (a worker shutting down): nothing was published; safe to retry.
  CANCELLED: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A failure with a stable code and a message that says what was expected and what arrived. */
export class RestainError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RestainError';
    this.code = code;
    this.httpStatus = ERROR_STATUS[code];
  }
}

export function isRestainError(error: unknown): error is RestainError {
  return error instanceof RestainError;
}

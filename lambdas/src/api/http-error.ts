import { type ErrorCode, RestainError } from '@restain/shared';

/** A RestainError that also sets response headers (Allow on 405, Retry-After on 429, WWW-Authenticate on 401). */
export class HttpError extends RestainError {
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, headers: Record<string, string>, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'HttpError';
    this.headers = headers;
  }
}

import { RestainError } from '@restain/shared';

/**
 * A request's raw path as the API routes it, for every front end (the local server, API
 * Gateway): percent-decoded, absolute, no NUL; INVALID_ARGUMENT otherwise.
 */
export function decodeRequestPath(rawPath: string): string {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw new RestainError('INVALID_ARGUMENT', `Expected a URL-encoded path but received ${JSON.stringify(rawPath.slice(0, 200))}`);
  }
  if (!path.startsWith('/') || path.includes('\0')) throw new RestainError('INVALID_ARGUMENT', `Expected an absolute path but received ${JSON.stringify(rawPath.slice(0, 200))}`);
  return path;
}

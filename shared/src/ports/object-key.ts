import { RestainError } from '../errors';

const MAX_KEY_BYTES = 1024; // S3's limit on an object key

/** Throws unless `key` is a safe object key: no empty, `.` or `..` segments, no `\`, no control characters. */
export function assertObjectKey(key: string): void {
  const problem =
    typeof key !== 'string' || key.length === 0
      ? 'it is empty'
      : new TextEncoder().encode(key).length > MAX_KEY_BYTES
        ? `it is longer than ${MAX_KEY_BYTES} bytes`
        : /[\u0000-\u001f\u007f\\]/.test(key)
          ? 'it contains a control character or a backslash'
          : key.split('/').some((part) => part === '' || part === '.' || part === '..')
            ? 'it has an empty, "." or ".." segment'
            : undefined;
  if (problem) throw new RestainError('INVALID_ARGUMENT', `Expected a relative object key but received ${JSON.stringify(key)}: ${problem}`);
}

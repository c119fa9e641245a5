import type { S3Event } from 'aws-lambda';
import { RestainError } from '@restain/shared';

/**
 * An object key as S3 event notifications carry it, decoded: S3 URL-encodes keys in events as
 * HTML forms do, so `+` is a space and `%XX` a byte of UTF-8
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 */
export function decodeS3EventKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new RestainError('INVALID_ARGUMENT', `Expected a URL-encoded S3 key but received ${JSON.stringify(encoded.slice(0, 200))}`);
  }
}

/** The decoded keys of the ObjectCreated records in `event` under `prefix` (in their order; other records are skipped). */
export function createdObjectKeys(event: S3Event, prefix: string): string[] {
  return (event.Records ?? [])
    .filter((record) => record.eventName?.startsWith('ObjectCreated:'))
    .map((record) => decodeS3EventKey(record.s3.object.key))
    .filter((key) => key.startsWith(prefix));
}

/** Runs `work` on each key in turn; every key is tried, then one error lists those that failed (so Lambda retries the event). */
export async function forEachKey(keys: readonly string[], work: (key: string) => Promise<void>): Promise<void> {
  const failures: string[] = [];
  for (const key of keys) {
    try {
      await work(key);
    } catch (error) {
      failures.push(`${key}: ${(error as Error)?.message ?? String(error)}`);
    }
  }
  if (failures.length > 0) throw new Error(`Expected every object of the event to be handled but ${failures.length} failed (retried): ${failures.join('; ')}`);
}

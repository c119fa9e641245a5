import { statfs } from 'node:fs/promises';
import { RestainError } from '@restain/shared';

/** Below this much free space a failed write is put down to a full disk. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/** Node's errno, or libvips' text, for a full disk or quota anywhere in the cause chain. */
export function isOutOfSpaceError(error: unknown): boolean {
  for (let at = error, depth = 0; at && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    const code = (at as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return true;
    if (/ENOSPC|no space left on device|disk quota exceeded/i.test(String((at as Error).message ?? ''))) return true;
  }
  return false;
}

/** True when the filesystem holding `dir` has (almost) no space left for this process. */
export async function isDiskFull(dir: string): Promise<boolean> {
  try {
    const stats = await statfs(dir);
    return stats.bavail * stats.bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
  }
}

/**
 * A failed decode or write on a full disk is the platform's fault, not the upload's: libvips
 * reports it as a failed write, which would otherwise read as a corrupt image and fail the job
 * for good. Returns INSUFFICIENT_STORAGE (507) then, else undefined.
 */
export async function storageFailure(error: unknown, dir: string): Promise<RestainError | undefined> {
  if (!isOutOfSpaceError(error) && !(await isDiskFull(dir))) return undefined;
  return new RestainError('INSUFFICIENT_STORAGE', 'The server ran out of storage space while taking the upload in; try again later', { cause: error });
}

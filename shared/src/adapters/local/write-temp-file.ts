import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { mkdir, open, readdir, rm, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { RestainError } from '../../errors';
import type { ObjectBody } from '../../ports/object-store';
import { isOutOfSpace, nextWriteStamp } from './folder-paths';

/** A fully written, fsynced file in the temp folder, ready to be linked or renamed into place. */
export interface TempFile {
  readonly path: string;
  readonly stats: BigIntStats;
}

async function writeAll(handle: import('node:fs/promises').FileHandle, chunk: Uint8Array): Promise<void> {
  // FileHandle.write may write less than asked (e.g. up to a file size limit); loop until done.
  for (let offset = 0; offset < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Streams `body` into a new file under `tempDir` (named `<pid>-<random>` so a later sweep can tell
 * abandoned files), fsyncs it and stamps a unique mtime. On any failure the file is removed;
 * a full disk (ENOSPC, EDQUOT, EFBIG) becomes INSUFFICIENT_STORAGE.
 */
export async function writeTempFile(tempDir: string, key: string, body: ObjectBody): Promise<TempFile> {
  await mkdir(tempDir, { recursive: true });
  const file = path.join(tempDir, `${process.pid}-${randomBytes(12).toString('hex')}`);
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await open(file, 'wx', 0o644);
    if (body instanceof Uint8Array) {
      await writeAll(handle, body);
    } else {
      for await (const chunk of body) await writeAll(handle, chunk);
    }
    await handle.sync();
    const stamp = nextWriteStamp(Date.now());
    await handle.utimes(stamp, stamp);
    const stats = await handle.stat({ bigint: true });
    await handle.close();
    handle = undefined;
    return { path: file, stats };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    if (isOutOfSpace(error)) {
      throw new RestainError('INSUFFICIENT_STORAGE', `Expected to store ${key} but the disk is full (${(error as NodeJS.ErrnoException).code})`, { cause: error });
    }
    throw error;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files left by processes that no longer run (killed mid-write); returns how many. */
export async function removeAbandonedTempFiles(tempDir: string): Promise<number> {
  const names = await readdir(tempDir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) {
      await rm(path.join(tempDir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

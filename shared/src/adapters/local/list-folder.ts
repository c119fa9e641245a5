import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { TEMP_DIR_NAME } from './folder-paths';

/** S3 orders keys by their UTF-8 bytes; that is code point order, which UTF-16 `<` is not. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

/**
 * Keys of regular files under `rootDir` that start with `prefix` and sort after `startAfter`, in
 * key order, walking only the folder the prefix names. Each folder's entries are sorted by the key
 * text they contribute (a folder as `name/`), which makes depth-first order equal to key order.
 * Symbolic links and other non-regular files are not objects and are skipped.
 */
export async function* walkKeys(rootDir: string, prefix: string, startAfter: string): AsyncGenerator<string> {
  const slash = prefix.lastIndexOf('/');
  const dirKey = prefix.slice(0, slash + 1); // '' or 'a/b/'
  const namePrefix = prefix.slice(slash + 1);
  if (dirKey.startsWith(`${TEMP_DIR_NAME}/`)) return; // in-progress writes are never objects
  yield* walkDir(rootDir, dirKey, namePrefix, startAfter);
}

async function* walkDir(rootDir: string, dirKey: string, namePrefix: string, startAfter: string): AsyncGenerator<string> {
  const dir = dirKey === '' ? rootDir : path.join(rootDir, ...dirKey.slice(0, -1).split('/'));
  const children: { key: string; isDir: boolean }[] = [];
  for (const entry of await entries(dir)) {
    if (dirKey === '' && entry.name === TEMP_DIR_NAME) continue;
    if (!entry.name.startsWith(namePrefix)) continue;
    if (entry.isDirectory()) children.push({ key: `${dirKey}${entry.name}/`, isDir: true });
    else if (entry.isFile()) children.push({ key: `${dirKey}${entry.name}`, isDir: false });
  }
  children.sort((a, b) => compareKeys(a.key, b.key));
  for (const child of children) {
    if (child.isDir) {
      // Every key inside starts with child.key: skip the folder when all of them sort before startAfter.
      if (compareKeys(child.key, startAfter) < 0 && !startAfter.startsWith(child.key)) continue;
      yield* walkDir(rootDir, child.key, '', startAfter);
    } else if (compareKeys(child.key, startAfter) > 0) {
      yield child.key;
    }
  }
}

import { OBJECT_PREFIXES } from '@restain/shared';

/** What to do with one object found under inbox/. */
export type InboxEntry =
  | { readonly kind: 'candidate'; readonly dropPath: string }
  /** Not ours to process and not worth a word: hidden files, half-finished downloads, folder markers. */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** A key that could escape the outbox or break a file system: never processed, reported once. */
  | { readonly kind: 'refused'; readonly reason: string };

/** Name of the per-folder batch summary in the outbox, so no dropped file may take it. */
export const SUMMARY_FILE = 'summary.csv';

// Names that browsers, copy tools and editors give files while they are still being written.
const TEMP_SUFFIXES = ['.part', '.partial', '.crdownload', '.download', '.tmp', '.temp', '.swp', '~'];
const SYSTEM_NAMES = new Set(['thumbs.db', 'desktop.ini']);
// S3 caps keys at 1024 bytes; the outbox adds "outbox/" and a result file name.
const MAX_DROP_PATH_BYTES = 900;

/**
 * Classify an object key seen under inbox/: a candidate image with its path relative to inbox/,
 * something to skip silently (hidden, temporary, folder marker), or a refused path trick.
 */
export function classifyInboxKey(key: string): InboxEntry {
  if (!key.startsWith(OBJECT_PREFIXES.inbox)) return { kind: 'refused', reason: `it is not under ${OBJECT_PREFIXES.inbox}` };
  const dropPath = key.slice(OBJECT_PREFIXES.inbox.length);
  if (dropPath === '' || dropPath.endsWith('/')) return { kind: 'ignored', reason: 'it is a folder marker' };
  if (/[\u0000-\u001f\u007f]/.test(dropPath)) return { kind: 'refused', reason: 'it contains a control character' };
  if (dropPath.includes('\\')) return { kind: 'refused', reason: 'it contains a backslash' };
  if (dropPath.startsWith('/')) return { kind: 'refused', reason: 'it is an absolute path' };
  const segments = dropPath.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return { kind: 'refused', reason: 'it has an empty, "." or ".." segment' };
  }
  if (new TextEncoder().encode(dropPath).length > MAX_DROP_PATH_BYTES) {
    return { kind: 'refused', reason: `its path is longer than ${MAX_DROP_PATH_BYTES} bytes` };
  }
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'ignored', reason: 'it is hidden' };
  const name = segments[segments.length - 1].toLowerCase();
  if (name.startsWith('~$') || TEMP_SUFFIXES.some((suffix) => name.endsWith(suffix))) {
    return { kind: 'ignored', reason: 'it is a temporary or partially downloaded file' };
  }
  if (SYSTEM_NAMES.has(name)) return { kind: 'ignored', reason: 'it is an operating system file' };
  if (name === SUMMARY_FILE) return { kind: 'refused', reason: `${SUMMARY_FILE} is reserved for the batch summary of the folder` };
  return { kind: 'candidate', dropPath };
}

/** Folder of a drop path relative to inbox/ (`a/b/c.png` -> `a/b`; `c.png` -> ``). */
export function dropFolderOf(dropPath: string): string {
  const slash = dropPath.lastIndexOf('/');
  return slash < 0 ? '' : dropPath.slice(0, slash);
}

/** Key of a folder's batch summary: outbox/<folder>/summary.csv. */
export function summaryKey(folder: string): string {
  return `${OBJECT_PREFIXES.outbox}${folder === '' ? '' : `${folder}/`}${SUMMARY_FILE}`;
}

/** The display name of a dropped file: its base name. */
export function dropDisplayName(dropPath: string): string {
  return dropPath.slice(dropPath.lastIndexOf('/') + 1);
}

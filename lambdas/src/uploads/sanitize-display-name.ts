/** Longest display name kept, in characters (code points); longer names keep their extension. */
export const MAX_DISPLAY_NAME_CHARS = 200;

/** Extensions longer than this are not kept whole when a name is shortened. */
const MAX_KEPT_EXTENSION_CHARS = 16;

const FALLBACK_NAME = 'image';

/**
 * Characters never shown: C0/C1 controls and DEL, bidirectional overrides, embeddings, isolates
 * and marks (they make `gnp.exe` display as `exe.png`), zero-width characters and the BOM.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/gu;

/** Shorten to `max` code points, keeping a short extension (`.png`) at the end. */
function capLength(name: string, max: number): string {
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (extension.length > 1 && extension.length <= MAX_KEPT_EXTENSION_CHARS) {
    return `${chars.slice(0, max - extension.length).join('').trimEnd()}${extension.join('')}`;
  }
  return chars.slice(0, max).join('').trimEnd();
}

/**
 * An uploaded file's name made safe to show and store as display text (never used as a path):
 * the last path segment only (`/` and `\` both separate), invisible and direction-changing
 * characters removed, whitespace collapsed, at most MAX_DISPLAY_NAME_CHARS characters; `image`
 * when nothing usable is left.
 */
export function sanitizeDisplayName(name: string | undefined): string {
  if (typeof name !== 'string') return FALLBACK_NAME;
  const lastSegment = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
  // Line breaks and tabs separate words: spaces, not nothing.
  const visible = lastSegment.replace(/[\t\n\v\f\r\u0085\u2028\u2029]/gu, ' ').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
  // Names made only of dots (`.`, `..`) read as path segments, not file names.
  if (visible === '' || /^\.+$/.test(visible)) return FALLBACK_NAME;
  return capLength(visible, MAX_DISPLAY_NAME_CHARS);
}

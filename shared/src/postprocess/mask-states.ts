/** Pixel states of the DeepLIIF label mask (create_posneg_mask / mark_background). */
export const PIXEL_BACKGROUND = 0;
export const PIXEL_UNKNOWN = 1;
export const PIXEL_POSITIVE = 2;
export const PIXEL_NEGATIVE = 3;

/**
 * The mask read 4 pixels at a time (null when its bytes do not start on a 4-byte boundary): long
 * stretches of one state, the bulk of a Seg, are then crossed a word at a time. Word w holds
 * pixels 4w .. 4w + 3; only all-equal words are compared, so byte order does not matter.
 */
export function maskWords(mask: Uint8Array): Uint32Array | null {
  return mask.byteOffset % 4 === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2) : null;
}

/** The first index in [i, end) whose pixel is not background, else `end`. */
export function skipBackground(mask: Uint8Array, words: Uint32Array | null, i: number, end: number): number {
  while (i < end && (i & 3) !== 0) {
    if (mask[i] !== PIXEL_BACKGROUND) return i;
    i++;
  }
  if (words !== null) while (i + 4 <= end && words[i >> 2] === 0) i += 4;
  while (i < end && mask[i] === PIXEL_BACKGROUND) i++;
  return i;
}

import * as states from './mask-states';

// Module-local copies: a CommonJS build (jest, tsx) reads imports through getters, too slow per pixel.
const PIXEL_BACKGROUND = states.PIXEL_BACKGROUND;
const PIXEL_UNKNOWN = states.PIXEL_UNKNOWN;
const maskWords = states.maskWords;

/** Four unknown pixels in one mask word (any byte order). */
const UNKNOWN_WORD = 0x01010101;

/**
 * mark_background: unknown pixels 4-connected to the image border become background. Unknown
 * pixels left (holes, enclosed boundary lines) then belong to the cell around them.
 * `stack` needs one slot per pixel (a pixel is pushed only when it turns background, so at most once).
 * Scanline fill: a popped seed grows into its whole row span (4 pixels a step where aligned), and
 * the rows above and below are scanned under that span for new seeds (one per unknown stretch),
 * so the work is a few tight loops per pixel instead of a push, a pop and four tests.
 */
export function markBackground(mask: Uint8Array, width: number, height: number, stack: Int32Array): void {
  let top = 0;
  for (let y = 0; y < height; y++) {
    const a = y * width, b = a + width - 1;
    if (mask[a] === PIXEL_UNKNOWN) { mask[a] = PIXEL_BACKGROUND; stack[top++] = a; }
    if (mask[b] === PIXEL_UNKNOWN) { mask[b] = PIXEL_BACKGROUND; stack[top++] = b; }
  }
  for (let x = 0; x < width; x++) {
    const a = x, b = (height - 1) * width + x;
    if (mask[a] === PIXEL_UNKNOWN) { mask[a] = PIXEL_BACKGROUND; stack[top++] = a; }
    if (mask[b] === PIXEL_UNKNOWN) { mask[b] = PIXEL_BACKGROUND; stack[top++] = b; }
  }
  floodBackground(mask, width, height, stack, top);
}

/**
 * markBackground's fill from given seeds: `stack[0 .. top)` holds pixels already made background;
 * every unknown pixel 4-connected to one of them through unknown pixels becomes background.
 * A caller that knows part of the background in advance (pixels set to background, none of them
 * unknown) seeds with the unknown pixels touching it and the unknown border pixels, and gets
 * markBackground's result while the fill visits only the rest.
 */
export function floodBackground(mask: Uint8Array, width: number, height: number, stack: Int32Array, top: number): void {
  const words = maskWords(mask);
  const lastRow = (height - 1) * width;
  while (top > 0) {
    const seed = stack[--top];
    const row = ((seed / width) | 0) * width;
    const left = fillLeft(mask, words, seed - 1, row) + 1;
    const right = fillRight(mask, words, seed + 1, row + width - 1) - 1;
    if (row > 0) top = seedStretches(mask, words, stack, top, left - width, right - width);
    if (row < lastRow) top = seedStretches(mask, words, stack, top, left + width, right + width);
  }
}

/** Unknown pixels from j leftwards (down to `first`) become background; returns the index left of them. */
function fillLeft(mask: Uint8Array, words: Uint32Array | null, j: number, first: number): number {
  while (j >= first && ((j + 1) & 3) !== 0 && mask[j] === PIXEL_UNKNOWN) mask[j--] = PIXEL_BACKGROUND;
  if (words !== null && ((j + 1) & 3) === 0) {
    while (j - 3 >= first && words[(j - 3) >> 2] === UNKNOWN_WORD) {
      words[(j - 3) >> 2] = 0;
      j -= 4;
    }
  }
  while (j >= first && mask[j] === PIXEL_UNKNOWN) mask[j--] = PIXEL_BACKGROUND;
  return j;
}

/** Unknown pixels from j rightwards (up to `last`) become background; returns the index right of them. */
function fillRight(mask: Uint8Array, words: Uint32Array | null, j: number, last: number): number {
  while (j <= last && (j & 3) !== 0 && mask[j] === PIXEL_UNKNOWN) mask[j++] = PIXEL_BACKGROUND;
  if (words !== null && (j & 3) === 0) {
    while (j + 3 <= last && words[j >> 2] === UNKNOWN_WORD) {
      words[j >> 2] = 0;
      j += 4;
    }
  }
  while (j <= last && mask[j] === PIXEL_UNKNOWN) mask[j++] = PIXEL_BACKGROUND;
  return j;
}

/** Push the first pixel of each unknown stretch in mask[from..to] (marked background as pushed). */
function seedStretches(mask: Uint8Array, words: Uint32Array | null, stack: Int32Array, top: number, from: number, to: number): number {
  let j = from;
  while (j <= to) {
    // Stretches already background (most of a Seg, once its neighbour row is filled) go by in words.
    if (words !== null && (j & 3) === 0) while (j + 3 <= to && words[j >> 2] === 0) j += 4;
    if (j > to) break;
    if (mask[j] === PIXEL_UNKNOWN) {
      mask[j] = PIXEL_BACKGROUND;
      stack[top++] = j;
      while (j < to && mask[j + 1] === PIXEL_UNKNOWN) j++;
    }
    j++;
  }
  return top;
}

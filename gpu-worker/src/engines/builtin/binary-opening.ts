import { scratch } from './scratch';
import { distanceToBackground } from './distance-transform';

const notErodedScratch = scratch(Uint8Array);
const levelScratch = scratch(Int32Array);
const maskBitsScratch = scratch(Int32Array);
const erodedBitsScratch = scratch(Int32Array);
const insideScratch = scratch(Float32Array);
const toErodedScratch = scratch(Float32Array);

/**
 * Widest disc (px from its centre to its side) opened on bit rows: the cost grows with the reach,
 * and beyond about this (measured on 512 px tiles) two distance transforms are cheaper.
 */
const MAX_BIT_REACH = 48;

/**
 * Binary opening with the disc of the given radius: erosion keeps the pixels farther than
 * `radius` from the background, dilation the mask pixels within `radius` of the eroded set
 * (Euclidean distances as float32, as distanceToBackground stores them). Outside the image is no
 * background, so the edge does not erode; below radius sqrt 2 (the 4-neighbour cross) pixels on
 * the edge do not erode at all. Returns a new plane (or `mask` itself when radius < 1).
 */
export function openMask(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius < 1) return mask;
  if (radius < Math.SQRT2) return openWithCross(mask, width, height);
  const limit = squaredRadiusLimit(radius);
  return integerSqrt(limit) <= MAX_BIT_REACH ? openOnBitRows(mask, width, height, limit) : openByDistance(mask, width, height, radius);
}

/**
 * Largest integer squared distance d with fround(sqrt(d)) <= radius: the cut that comparing a
 * stored distance with `radius` draws between squared distances (float rounding included).
 */
function squaredRadiusLimit(radius: number): number {
  let d = Math.floor(radius * radius);
  while (Math.fround(Math.sqrt(d + 1)) <= radius) d++;
  while (d > 0 && Math.fround(Math.sqrt(d)) > radius) d--;
  return d;
}

/** Largest integer a with a * a <= v (v >= 0). */
function integerSqrt(v: number): number {
  let a = Math.floor(Math.sqrt(v));
  while ((a + 1) * (a + 1) <= v) a++;
  while (a * a > v) a--;
  return a;
}

/**
 * Opening by the disc of pixel offsets with dx² + dy² <= limit, 32 pixels per machine word: the
 * disc is the union over dy of rows |dx| <= allow[|dy|] = floor(sqrt(limit - dy²)), so erosion
 * ANDs, over dy, row y + dy eroded horizontally by allow[|dy|], and dilation ORs likewise. Each
 * horizontal erosion (dilation) by a is one more by 1 of that by a - 1: two shifts per word.
 * Exactly the distance-transform opening; with `keepEdges`, edge pixels erode to their own value.
 */
function openOnBitRows(mask: Uint8Array, width: number, height: number, limit: number, keepEdges = false): Uint8Array {
  const reach = integerSqrt(limit);
  const allow = new Int32Array(reach + 1);
  for (let dy = 0; dy <= reach; dy++) allow[dy] = integerSqrt(limit - dy * dy);
  const rows = new BitRows(width, height);
  const plane = rows.words * height;
  const levels = levelScratch(plane * (reach + 1));
  const maskBits = maskBitsScratch(plane);
  // Outside the image counts as mask for the erosion (the edge does not erode)...
  rows.pack(mask, maskBits, true);
  levels.set(maskBits);
  for (let a = 1; a <= reach; a++) rows.erodeByOne(levels, (a - 1) * plane, a * plane);
  const eroded = erodedBitsScratch(plane);
  rows.combine(levels, allow, eroded, true);
  if (keepEdges) rows.copyEdges(maskBits, eroded);
  // ...and as not eroded for the dilation.
  rows.setOutside(eroded, 0, false);
  levels.set(eroded);
  for (let a = 1; a <= reach; a++) rows.dilateByOne(levels, (a - 1) * plane, a * plane);
  rows.combine(levels, allow, eroded, false);
  for (let i = 0; i < plane; i++) eroded[i] &= maskBits[i];
  const out = new Uint8Array(width * height);
  rows.unpack(eroded, out);
  return out;
}

/**
 * Binary planes as rows of 32-pixel words (bit b of word j is x = 32j + b). Bits past the row's
 * last pixel stand for outside the image and hold what outside counts as (`outside` below).
 */
class BitRows {
  readonly words: number;
  /** In-image bits of each row's last word. */
  private readonly tail: number;

  constructor(private readonly width: number, private readonly height: number) {
    this.words = (width + 31) >> 5;
    this.tail = width & 31 ? (1 << (width & 31)) - 1 : -1;
  }

  /** Pack a byte mask (non-zero: set); bits outside the image set to `outside`. */
  pack(mask: Uint8Array, out: Int32Array, outside: boolean): void {
    const { width, height, words } = this;
    for (let y = 0; y < height; y++) {
      for (let j = 0; j < words; j++) {
        const from = y * width + j * 32;
        const count = width - j * 32 < 32 ? width - j * 32 : 32;
        let w = 0;
        // (-v) >>> 31 is 1 for any non-zero byte: no branch on the mask.
        for (let b = 0; b < count; b++) w |= (-mask[from + b] >>> 31) << b;
        out[y * words + j] = w;
      }
    }
    this.setOutside(out, 0, outside);
  }

  /** Copy the bits of the image's edge pixels (first and last row and column) from one plane to another. */
  copyEdges(from: Int32Array, to: Int32Array): void {
    const { width, height, words } = this;
    const lastRow = (height - 1) * words;
    to.set(from.subarray(0, words), 0);
    to.set(from.subarray(lastRow, lastRow + words), lastRow);
    const right = 1 << ((width - 1) & 31);
    for (let row = 0; row <= lastRow; row += words) {
      to[row] = (to[row] & ~1) | (from[row] & 1);
      const i = row + words - 1;
      to[i] = (to[i] & ~right) | (from[i] & right);
    }
  }

  /** Set (or clear) the outside bits of the plane at `from`. */
  setOutside(bits: Int32Array, from: number, set: boolean): void {
    const { height, words, tail } = this;
    for (let i = from + words - 1, end = from + words * height; i < end; i += words) {
      bits[i] = set ? bits[i] | ~tail : bits[i] & tail;
    }
  }

  /** Write 1 into `out` (zeroed) at every in-image set bit. */
  unpack(bits: Int32Array, out: Uint8Array): void {
    const { width, height, words, tail } = this;
    for (let y = 0; y < height; y++) {
      for (let j = 0; j < words; j++) {
        let w = j === words - 1 ? bits[y * words + j] & tail : bits[y * words + j];
        const from = y * width + j * 32;
        while (w !== 0) {
          out[from + 31 - Math.clz32(w & -w)] = 1;
          w &= w - 1;
        }
      }
    }
  }

  /** Plane at `to` = plane at `from` eroded by one pixel left and right (outside set). */
  erodeByOne(bits: Int32Array, from: number, to: number): void {
    const { height, words } = this;
    for (let y = 0; y < height; y++) {
      const row = from + y * words;
      const last = words - 1;
      for (let j = 0; j <= last; j++) {
        const w = bits[row + j];
        const right = j < last ? bits[row + j + 1] : -1;
        const left = j > 0 ? bits[row + j - 1] : -1;
        bits[to + y * words + j] = w & ((w >>> 1) | (right << 31)) & ((w << 1) | (left >>> 31));
      }
    }
    this.setOutside(bits, to, true);
  }

  /** Plane at `to` = plane at `from` dilated by one pixel left and right (outside clear). */
  dilateByOne(bits: Int32Array, from: number, to: number): void {
    const { height, words } = this;
    for (let y = 0; y < height; y++) {
      const row = from + y * words;
      const last = words - 1;
      for (let j = 0; j <= last; j++) {
        const w = bits[row + j];
        const right = j < last ? bits[row + j + 1] : 0;
        const left = j > 0 ? bits[row + j - 1] : 0;
        bits[to + y * words + j] = w | (w >>> 1) | (right << 31) | (w << 1) | (left >>> 31);
      }
    }
    this.setOutside(bits, to, false);
  }

  /**
   * out row y = AND (erode) or OR (dilate) over in-image rows y + dy, |dy| <= reach, of level
   * allow[|dy|] (levels of one plane each, level a at a x plane). Outside bits follow the levels.
   */
  combine(levels: Int32Array, allow: Int32Array, out: Int32Array, erode: boolean): void {
    const { height, words } = this;
    const plane = words * height;
    const reach = allow.length - 1;
    for (let y = 0; y < height; y++) {
      const row = y * words;
      out.fill(erode ? -1 : 0, row, row + words);
      for (let dy = -reach; dy <= reach; dy++) {
        if (y + dy < 0 || y + dy >= height) continue;
        const src = allow[dy < 0 ? -dy : dy] * plane + (y + dy) * words;
        if (erode) for (let j = 0; j < words; j++) out[row + j] &= levels[src + j];
        else for (let j = 0; j < words; j++) out[row + j] |= levels[src + j];
      }
    }
  }
}

/** Opening with a disc of any radius via two exact distance transforms. */
function openByDistance(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const inside = distanceToBackground(mask, width, height, false, insideScratch(mask.length));
  const notEroded = notErodedScratch(mask.length);
  for (let i = 0; i < mask.length; i++) notEroded[i] = inside[i] > radius ? 0 : 1;
  const toEroded = distanceToBackground(notEroded, width, height, false, toErodedScratch(mask.length));
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] && toEroded[i] <= radius ? 1 : 0;
  return out;
}

/**
 * Opening with the radius-1 disc (the pixel and its 4 neighbours) where, unlike the wider discs,
 * pixels on the image edge never erode (they stay as the mask has them).
 */
function openWithCross(mask: Uint8Array, width: number, height: number): Uint8Array {
  return openOnBitRows(mask, width, height, 1, true);
}

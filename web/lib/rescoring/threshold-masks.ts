import { floodBackground, markBackground, segToMask } from '@restain/shared';
import type { ResultPlanes } from './planes';

const BACKGROUND = 0, UNKNOWN = 1, POSITIVE = 2;

/**
 * segToMask + markBackground for any seg threshold of one Seg, visiting only the pixels that can
 * be cells. Thresholds nest: a pixel is a cell pixel at t when R + B > t (and G is low), so the
 * background at t = 0 (B0) is background at every t, and only the rest (R: the cell candidates
 * and the holes they enclose) is re-thresholded and re-filled, seeded from the pixels of R on the
 * image border or next to B0. Exact: a path to the border through non-cell pixels either stays
 * in R up to the border or enters B0 next to such a seed.
 */
export class ThresholdMasks {
  /** 0 for B0, UNKNOWN for R: a mask's starting point. */
  private readonly base: Uint8Array;
  /** Pixels that are cell pixels at some threshold (the t = 0 cell pixels), and 2 (R + B) + (R < B) of each. */
  private readonly candidates: Int32Array;
  private readonly codes: Uint16Array;
  /** Pixels of R on the image border or 4-touching B0. */
  private readonly seeds: Int32Array;

  /** `stack`: scratch of one slot per pixel. */
  constructor(planes: ResultPlanes, stack: Int32Array) {
    const { width, height, seg, segChannels } = planes;
    const pixels = width * height;
    const mask = segToMask({ width, height, channels: segChannels, data: seg }, 0).votes;
    markBackground(mask, width, height, stack);
    let candidateCount = 0, seedCount = 0;
    for (let i = 0; i < pixels; i++) {
      if (mask[i] >= POSITIVE) candidateCount++;
      if (mask[i] !== BACKGROUND && this.touchesB0(mask, width, height, i)) stack[seedCount++] = i;
    }
    this.seeds = stack.slice(0, seedCount);
    this.candidates = new Int32Array(candidateCount);
    this.codes = new Uint16Array(candidateCount);
    for (let i = 0, k = 0, p = 0; i < pixels; i++, p += segChannels) {
      if (mask[i] < POSITIVE) continue;
      const r = seg[p], b = seg[p + 2];
      this.candidates[k] = i;
      this.codes[k++] = 2 * (r + b) + (r < b ? 1 : 0);
    }
    for (let i = 0; i < pixels; i++) if (mask[i] !== BACKGROUND) mask[i] = UNKNOWN;
    this.base = mask;
  }

  /** Whether pixel i (of R) is on the image border or 4-touches a B0 pixel. */
  private touchesB0(mask: Uint8Array, width: number, height: number, i: number): boolean {
    const y = (i / width) | 0, x = i - y * width;
    return x === 0 || y === 0 || x === width - 1 || y === height - 1
      || mask[i - 1] === BACKGROUND || mask[i + 1] === BACKGROUND || mask[i - width] === BACKGROUND || mask[i + width] === BACKGROUND;
  }

  /** The mask segToMask(seg, segThresh) gives after markBackground, written into `mask` (`stack`: one slot per pixel). */
  maskAt(segThresh: number, mask: Uint8Array, stack: Int32Array, width: number, height: number): Uint8Array {
    if (segThresh !== Math.floor(segThresh) || segThresh < 0) throw new Error(`Seg threshold ${segThresh} is not a whole number >= 0`);
    mask.set(this.base);
    const { candidates, codes, seeds } = this;
    // R + B > t  <=>  2 (R + B) + (R < B) >= 2 t + 2 for whole t; the low bit is the vote.
    const least = 2 * segThresh + 2;
    for (let k = 0; k < candidates.length; k++) {
      const code = codes[k];
      if (code >= least) mask[candidates[k]] = POSITIVE + (code & 1);
    }
    let top = 0;
    for (let k = 0; k < seeds.length; k++) {
      const s = seeds[k];
      if (mask[s] === UNKNOWN) {
        mask[s] = BACKGROUND;
        stack[top++] = s;
      }
    }
    floodBackground(mask, width, height, stack, top);
    return mask;
  }
}

import { scratch } from './scratch';
import type { PixelSegmentationParameters } from './nucleus-parameters';
import { fillConvexHulls } from './convex-fill';
import { mergeSplitNuclei } from './merge-split-nuclei';
import { fillHoles, NEIGHBOURS_8 } from './regions';
import { watershedFromSeeds } from './watershed';

const maskScratch = scratch(Uint8Array);
const zeroCostScratch = scratch(Float32Array);
const piecesScratch = scratch(Int32Array);
const queueScratch = scratch(Int32Array);

/** Local copy: reading an imported binding in a hot loop costs a getter call per access. */
const N8 = Int8Array.from(NEIGHBOURS_8);

/**
 * Trim each watershed region to the pixels above peakFraction of its own (capped) peak OD, so a
 * dark nucleus sheds the faint halo a global threshold keeps; fill holes each nucleus encloses;
 * split regions the trim broke into pieces and drop pieces under minArea; merge halves of one
 * nucleus the seeding cut apart. Relabels in place
 * (1..kept) and returns the number kept.
 */
export function refineNuclei(labels: Int32Array, count: number, smooth: Float32Array, dabSmooth: Float32Array, width: number, height: number, p: PixelSegmentationParameters): number {
  const n = width * height;
  const peak = new Float32Array(count + 1);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l && smooth[i] > peak[l]) peak[l] = smooth[i];
  }
  for (let l = 1; l <= count; l++) peak[l] = p.peakFraction * (peak[l] < p.peakCap ? peak[l] : p.peakCap);
  const mask = maskScratch(n);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l && smooth[i] < peak[l]) labels[i] = 0;
    mask[i] = labels[i] ? 1 : 0;
  }
  // Holes go to the nucleus around them: flood the filled mask from the trimmed labels.
  fillHoles(mask, width, height, p.maxHoleArea);
  watershedFromSeeds(zeroCostScratch(n).fill(0), labels, mask, width, height, 1);
  let kept = splitPieces(labels, width, height, p.minArea);
  kept = mergeSplitNuclei(labels, kept, smooth, width, height, p.mergeNeckRatio, p.mergeValleyRatio, dabSmooth, p.dabPixelOd);
  if (p.convexFill) fillConvexHulls(labels, kept, width, height);
  return kept;
}

/** Relabel 8-connected pieces of equal label as separate nuclei, dropping those under minArea. */
function splitPieces(labels: Int32Array, width: number, height: number, minArea: number): number {
  const n = width * height;
  const out = piecesScratch(n).fill(0);
  const queue = queueScratch(n);
  let next = 0;
  for (let s = 0; s < n; s++) {
    const l = labels[s];
    if (!l || out[s]) continue;
    const id = ++next;
    out[s] = id;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const q = queue[head++];
      const x = q % width;
      const y = (q - x) / width;
      for (let k = 0; k < 8; k++) {
        const xx = x + N8[k * 2];
        const yy = y + N8[k * 2 + 1];
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const r = yy * width + xx;
        if (labels[r] !== l || out[r]) continue;
        out[r] = id;
        queue[tail++] = r;
      }
    }
    if (tail < minArea) {
      for (let k = 0; k < tail; k++) out[queue[k]] = -1;
      next--;
    }
  }
  for (let i = 0; i < n; i++) labels[i] = out[i] > 0 ? out[i] : 0;
  return next;
}

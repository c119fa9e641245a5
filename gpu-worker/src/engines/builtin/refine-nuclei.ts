import { scratch } from './scratch';
import type { PixelSegmentationParameters } from './nucleus-parameters';
import { fillConvexHulls } from './convex-fill';
import { mergeSplitNuclei } from './merge-split-nuclei';
import { fillHoles, splitLabelPieces } from './regions';
import { floodFromSeeds } from './watershed';

const maskScratch = scratch(Uint8Array);

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
  floodFromSeeds(labels, mask, width, height);
  let kept = splitLabelPieces(labels, width, height, p.minArea);
  kept = mergeSplitNuclei(labels, kept, smooth, width, height, p.mergeNeckRatio, p.mergeValleyRatio, dabSmooth, p.dabPixelOd);
  if (p.convexFill) fillConvexHulls(labels, kept, width, height);
  return kept;
}

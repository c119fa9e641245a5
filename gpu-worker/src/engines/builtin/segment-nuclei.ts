import { scratch } from './scratch';
import { distanceToBackground } from './distance-transform';
import { foregroundMask, localBackground } from './foreground-mask';
import { growNuclei } from './grow-nuclei';
import { gaussianBlur } from './gaussian-blur';
import { addBlobRelief } from './blob-relief';
import { classifyNuclei } from './classify-nuclei';
import { hMaximaMarkers } from './h-maxima';
import type { PixelSegmentationParameters } from './nucleus-parameters';
import { recoverLeftovers } from './recover-leftovers';
import { refineNuclei } from './refine-nuclei';
import { labelComponents, relabel } from './regions';
import { watershedFromSeeds } from './watershed';

const signalScratch = scratch(Float32Array);
const dabScratch = scratch(Float32Array);
const reliefScratch = scratch(Float32Array);
const stainedScratch = scratch(Uint8Array);
const smoothScratch = scratch(Float32Array);
const dabSmoothScratch = scratch(Float32Array);
const localScratch = scratch(Float32Array);
const distanceScratch = scratch(Float32Array);
const distanceBlurScratch = scratch(Float32Array);
const broadScratch = scratch(Float32Array);
const markersScratch = scratch(Uint8Array);

export type { PixelSegmentationParameters } from './nucleus-parameters';

/** Nuclei of one tile: labels 1..count per pixel, plus each nucleus' class and stain means. */
export interface NucleusSegmentation {
  readonly width: number;
  readonly height: number;
  readonly labels: Int32Array;
  readonly count: number;
  /** 1 = positive (index = label; index 0 unused). */
  readonly positive: Uint8Array;
  readonly meanDab: Float32Array;
  readonly meanHematoxylin: Float32Array;
}

/**
 * Threshold nuclear OD against its local background, split touching nuclei (distance transform
 * plus intensity relief plus a Laplacian-of-Gaussian blob term, h-maxima seeds, watershed), trim
 * each nucleus to its own stain, drop debris and classify each nucleus by its mean DAB OD.
 */
export function segmentNuclei(
  hematoxylin: Float32Array,
  dab: Float32Array,
  width: number,
  height: number,
  p: PixelSegmentationParameters,
): NucleusSegmentation {
  const n = width * height;
  const signal = signalScratch(n);
  const dabPositive = dabScratch(n);
  for (let i = 0; i < n; i++) {
    const d = dab[i] > 0 ? dab[i] : 0;
    signal[i] = (hematoxylin[i] > 0 ? hematoxylin[i] : 0) + d;
    dabPositive[i] = d;
  }
  const smooth = gaussianBlur(signal, width, height, p.smoothingSigma, smoothScratch(n));
  const dabSmooth = gaussianBlur(dabPositive, width, height, p.smoothingSigma, dabSmoothScratch(n));
  const local = localBackground(smooth, width, height, p.backgroundWindow, localScratch(n));
  const mask = foregroundMask(smooth, dabSmooth, local, width, height, p);

  let distance = distanceToBackground(mask, width, height, false, distanceScratch(n));
  for (let i = 0; i < n; i++) if (distance[i] > 1e4) distance[i] = 1e4;
  // The relief reads the distance inside the mask only.
  if (p.distanceSigma > 0) distance = gaussianBlur(distance, width, height, p.distanceSigma, distanceBlurScratch(n), mask);
  const broad = p.intensityWeight > 0 ? gaussianBlur(smooth, width, height, p.reliefSigma, broadScratch(n)) : smooth;
  const relief = reliefScratch(n).fill(0);
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    const s = broad[i] < p.intensityCap ? broad[i] : p.intensityCap;
    relief[i] = distance[i] + p.intensityWeight * s;
  }
  if (p.blobWeight > 0) addBlobRelief(relief, smooth, mask, width, height, p.blobSigma, p.blobWeight, p.intensityCap);
  const markers = hMaximaMarkers(relief, mask, width, height, p.splitDepth, markersScratch(n));
  const { labels, count } = labelComponents(markers, width, height, 8);
  for (let i = 0; i < n; i++) relief[i] = -relief[i];
  watershedFromSeeds(relief, labels, mask, width, height);
  let refined = refineNuclei(labels, count, smooth, dabSmooth, width, height, p);
  if (p.leftoverOpeningRadius > 0) {
    refined = recoverLeftovers(labels, refined, mask, width, height, p.leftoverOpeningRadius, p.maxHoleArea, p.leftoverMinArea);
  }
  const kept = dropFaintNuclei(labels, refined, smooth, p.minMeanOd);
  if (p.growRadius > 0) {
    // Hysteresis: a pale nucleus' rim lies under the contrast threshold but above a lower one.
    const stained = stainedScratch(n);
    for (let i = 0; i < n; i++) stained[i] = smooth[i] - local[i] > p.growContrast ? 1 : 0;
    growNuclei(labels, width, height, p.growRadius, stained);
  }
  const { positive, meanDab, meanHematoxylin } = classifyNuclei(labels, kept, width, height, hematoxylin, dab, p);
  return { width, height, labels, count: kept, positive, meanDab, meanHematoxylin };
}

/** Drop nuclei whose mean nuclear OD is below minMeanOd (pale cytoplasm and debris); relabel in place. */
function dropFaintNuclei(labels: Int32Array, count: number, smooth: Float32Array, minMeanOd: number): number {
  if (!(minMeanOd > 0)) return count;
  const area = new Float64Array(count + 1);
  const sum = new Float64Array(count + 1);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!l) continue;
    area[l]++;
    sum[l] += smooth[i];
  }
  const keep = new Uint8Array(count + 1);
  for (let l = 1; l <= count; l++) keep[l] = sum[l] >= minMeanOd * area[l] ? 1 : 0;
  return relabel(labels, count, keep);
}

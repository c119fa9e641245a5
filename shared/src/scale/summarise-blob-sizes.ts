import type { ScaleSpaceBlob } from './detect-scale-space-blobs';
import { weightedQuantiles } from './weighted-quantiles';

/** Where the blob sizes concentrate, and how firmly. */
export interface BlobSizeSummary {
  /** Typical blob sigma, px. */
  readonly sigma: number;
  /** Blobs within 25 % of the typical size. */
  readonly consistentCount: number;
  /** Share of the total weight within the mode's window (0..1): low when sizes scatter. */
  readonly concentration: number;
  /** Median response (OD-like units) of the consistent blobs. */
  readonly typicalResponse: number;
}

/** Log-sigma histogram resolution. */
const BIN_WIDTH = 0.02;
/**
 * Histogram smoothing (log units). Nuclei of one kind spread ~0.2-0.3 in log size, but many tissues
 * hold several kinds (small pale negatives beside large dark positives) whose weighted sizes form a
 * flat shelf over a 3-5x range; a narrower kernel (0.25) then lands on whichever bump the shelf
 * happens to have, and a stain or scanner change moved bcdata tile 0's reading 45 -> 15 px. At 0.6
 * the mode sits in the shelf's middle and re-staining moves it by at most 1.2x (gpu-worker/dev/check-scale.ts).
 */
const BANDWIDTH = 0.6;
/** Half-width (log units, x1.65) of the window around the mode that the final median reads. */
const WINDOW = 0.5;
/** Large blobs weigh more: junk (debris, stroma grain) is small, nuclei are the biggest compact blobs. */
const SIZE_WEIGHT_EXPONENT = 1.25;

/**
 * Typical blob size: the mode of a smoothed, size-weighted histogram of log sigma (so a minority of
 * clusters or grains cannot drag it, as they would a mean), refined by the weighted median of the
 * blobs in a window around that mode. Each blob weighs sigma^1.25 times the area it stands for.
 */
export function summariseBlobSizes(blobs: readonly ScaleSpaceBlob[]): BlobSizeSummary {
  const logSigma = new Float64Array(blobs.length);
  const weights = new Float64Array(blobs.length);
  let minLog = Infinity;
  let maxLog = -Infinity;
  for (let i = 0; i < blobs.length; i++) {
    logSigma[i] = Math.log(blobs[i].sigma);
    weights[i] = blobs[i].sigma ** SIZE_WEIGHT_EXPONENT * blobs[i].areaWeight;
    minLog = Math.min(minLog, logSigma[i]);
    maxLog = Math.max(maxLog, logSigma[i]);
  }
  const mode = smoothedMode(logSigma, weights, minLog, maxLog);

  const inWindow = new Float64Array(blobs.length);
  let total = 0;
  let windowTotal = 0;
  for (let i = 0; i < blobs.length; i++) {
    total += weights[i];
    if (Math.abs(logSigma[i] - mode) <= WINDOW) {
      inWindow[i] = weights[i];
      windowTotal += weights[i];
    }
  }
  const [typicalLog] = weightedQuantiles(logSigma, inWindow, [0.5]);

  const consistentResponses: number[] = [];
  for (let i = 0; i < blobs.length; i++) {
    if (Math.abs(logSigma[i] - typicalLog) < Math.log(1.25)) consistentResponses.push(blobs[i].response);
  }
  consistentResponses.sort((a, b) => a - b);
  return {
    sigma: Math.exp(typicalLog),
    consistentCount: consistentResponses.length,
    concentration: total > 0 ? windowTotal / total : 0,
    typicalResponse: consistentResponses.length > 0 ? consistentResponses[consistentResponses.length >> 1] : 0,
  };
}

function smoothedMode(values: Float64Array, weights: Float64Array, min: number, max: number): number {
  const pad = Math.ceil((3 * BANDWIDTH) / BIN_WIDTH);
  const bins = Math.ceil((max - min) / BIN_WIDTH) + 1 + 2 * pad;
  const histogram = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) histogram[Math.round((values[i] - min) / BIN_WIDTH) + pad] += weights[i];
  const kernel = new Float64Array(2 * pad + 1);
  for (let t = -pad; t <= pad; t++) kernel[t + pad] = Math.exp(-0.5 * ((t * BIN_WIDTH) / BANDWIDTH) ** 2);
  let best = -1;
  let bestBin = pad;
  for (let b = pad; b < bins - pad; b++) {
    let density = 0;
    for (let t = -pad; t <= pad; t++) density += kernel[t + pad] * histogram[b + t];
    if (density > best) {
      best = density;
      bestBin = b;
    }
  }
  return min + (bestBin - pad) * BIN_WIDTH;
}

import { stainMeans } from '../builtin/classify-nuclei';
import { gaussianBlur } from '../builtin/gaussian-blur';
import { scratch } from '../builtin/scratch';
import type { NucleusSegmentation } from '../builtin/segment-nuclei';
import { watershedFromSeeds } from '../builtin/watershed';
import type { NucleusMaps } from './nucleus-maps';

// Planes reused from tile to tile on this thread (see builtin/scratch): no per-tile garbage.
const heatScratch = scratch(Float32Array);
const rowsScratch = scratch(Float32Array);
const peakScratch = scratch(Float32Array);
const allowedScratch = scratch(Uint8Array);
const odScratch = scratch(Float32Array);
const odSmoothScratch = scratch(Float32Array);
const costScratch = scratch(Float32Array);

/** Nucleus-map thresholds and distances in tile pixels. */
export interface NucleusMapParameters {
  /** Gaussian sigma (px) that smooths the centre heat before peaks are read. */
  readonly centreSigma: number;
  readonly centreThreshold: number;
  /** Two centres closer than this (px, Chebyshev) are one. */
  readonly minCentreDistance: number;
  readonly maskThreshold: number;
  /** Mask pixels also need smoothed nuclear OD (H + DAB) of at least this (0: the mask alone). */
  readonly minNuclearOd: number;
  /** Every centre owns at least this disc (px radius). */
  readonly minRadius: number;
  /**
   * A cell is kept only when at least this fraction of its pixels are nucleus by the mask (and
   * stain), not just its centre's disc: a confident centre over glass or cytoplasm that the mask
   * does not back is no nucleus (0 keeps every centre).
   */
  readonly minMaskFraction: number;
  readonly positiveThreshold: number;
  /** The net's positive call also needs this mean DAB OD over the cell (0: the net alone). */
  readonly positiveMinDab: number;
  /** Mean DAB OD over the cell at which a cell is positive whatever the net says. */
  readonly positiveDab: number;
  /**
   * A cell keeps only its pixels within this many times its equivalent radius (sqrt(area / pi))
   * of its centre, so a mask that spills over cytoplasm on one side cannot pull its centroid away
   * from the nucleus centre; 0 keeps whole watershed regions.
   */
  readonly centredRadiusFactor: number;
}

/** Sliding maximum over a (2r+1)-wide window along rows, then columns. */
function maxFilter(src: Float32Array, width: number, height: number, r: number, out: Float32Array): Float32Array {
  const rows = rowsScratch(src.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let m = -Infinity;
      for (let xx = Math.max(0, x - r), end = Math.min(width - 1, x + r); xx <= end; xx++) if (src[row + xx] > m) m = src[row + xx];
      rows[row + x] = m;
    }
  }
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      let m = -Infinity;
      for (let yy = Math.max(0, y - r), end = Math.min(height - 1, y + r); yy <= end; yy++) if (rows[yy * width + x] > m) m = rows[yy * width + x];
      out[y * width + x] = m;
    }
  }
  return out;
}

/**
 * Unlabels each cell's pixels farther from its centre than factor x its equivalent radius (never
 * inside minRadius), then any piece that trimming cut off from the centre.
 */
function keepNearCentres(labels: Int32Array, seeds: readonly number[], width: number, factor: number, minRadius: number): void {
  const area = new Float64Array(seeds.length + 1);
  for (const l of labels) if (l) area[l]++;
  const limit2 = new Float64Array(seeds.length + 1);
  for (let l = 1; l <= seeds.length; l++) {
    const r = Math.max(minRadius, factor * Math.sqrt(area[l] / Math.PI));
    limit2[l] = r * r;
  }
  const height = labels.length / width;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!l) continue;
    const s = seeds[l - 1];
    const dx = (i % width) - (s % width);
    const dy = Math.floor(i / width) - Math.floor(s / width);
    if (dx * dx + dy * dy > limit2[l]) labels[i] = 0;
  }
  // Keep only what is 4-connected to the centre (label l marked -l while reached).
  const stack: number[] = [];
  for (let l = 1; l <= seeds.length; l++) {
    const s = seeds[l - 1];
    if (labels[s] !== l) continue;
    labels[s] = -l;
    stack.push(s);
    while (stack.length > 0) {
      const p = stack.pop()!;
      const x = p % width;
      if (x > 0 && labels[p - 1] === l) (labels[p - 1] = -l), stack.push(p - 1);
      if (x < width - 1 && labels[p + 1] === l) (labels[p + 1] = -l), stack.push(p + 1);
      if (p >= width && labels[p - width] === l) (labels[p - width] = -l), stack.push(p - width);
      if (p < (height - 1) * width && labels[p + width] === l) (labels[p + width] = -l), stack.push(p + width);
    }
  }
  for (let i = 0; i < labels.length; i++) labels[i] = labels[i] < 0 ? -labels[i] : 0;
}

/**
 * Drops the cells with less than `fraction` of their pixels backed by the mask (allowed = 1) and
 * renumbers the rest 1..count in order, with their seeds. Returns the new count.
 */
function keepMaskBacked(labels: Int32Array, seeds: number[], allowed: Uint8Array, fraction: number): number {
  const area = new Float64Array(seeds.length + 1);
  const backed = new Float64Array(seeds.length + 1);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!l) continue;
    area[l]++;
    if (allowed[i] === 1) backed[l]++;
  }
  const renumber = new Int32Array(seeds.length + 1);
  let count = 0;
  for (let l = 1; l <= seeds.length; l++) {
    if (area[l] === 0 || backed[l] < fraction * area[l]) continue;
    renumber[l] = ++count;
    seeds[count - 1] = seeds[l - 1];
  }
  seeds.length = count;
  for (let i = 0; i < labels.length; i++) labels[i] = renumber[labels[i]];
  return count;
}

/**
 * Cells from a nucleus model's maps: centres are the local maxima of the smoothed centre heat; each
 * centre floods (watershed on falling heat) the pixels the mask calls nucleus, and always owns a
 * small disc; a cell the mask does not back (minMaskFraction) is dropped. A cell is positive when
 * the positive probability at its centre reaches the threshold and its mean DAB is not negligible,
 * or when its mean DAB alone is clearly positive. Stain means come from the deconvolved tile.
 */
export function detectNuclei(
  maps: NucleusMaps,
  hematoxylin: Float32Array,
  dab: Float32Array,
  width: number,
  height: number,
  p: NucleusMapParameters,
): NucleusSegmentation {
  const n = width * height;
  const heat = gaussianBlur(maps.centre, width, height, p.centreSigma, heatScratch(n));
  const r = Math.max(1, Math.round(p.minCentreDistance));
  const peak = maxFilter(heat, width, height, r, peakScratch(n));
  const labels = new Int32Array(n);
  const seeds: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (heat[i] < p.centreThreshold || heat[i] < peak[i]) continue;
      // A plateau gives several equal maxima: keep the first in raster order.
      let taken = false;
      for (let yy = Math.max(0, y - r); yy <= y && !taken; yy++) {
        for (let xx = Math.max(0, x - r), end = Math.min(width - 1, x + r); xx <= end; xx++) {
          if (labels[yy * width + xx] > 0) {
            taken = true;
            break;
          }
        }
      }
      if (taken) continue;
      seeds.push(i);
      labels[i] = seeds.length;
    }
  }
  const allowed = allowedScratch(n);
  if (p.minNuclearOd > 0) {
    const od = odScratch(n);
    for (let i = 0; i < n; i++) od[i] = (hematoxylin[i] > 0 ? hematoxylin[i] : 0) + (dab[i] > 0 ? dab[i] : 0);
    const smooth = gaussianBlur(od, width, height, 1, odSmoothScratch(n));
    for (let i = 0; i < n; i++) allowed[i] = maps.mask[i] >= p.maskThreshold && smooth[i] >= p.minNuclearOd ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) allowed[i] = maps.mask[i] >= p.maskThreshold ? 1 : 0;
  }
  const rr = Math.ceil(p.minRadius);
  const r2 = p.minRadius * p.minRadius;
  // Disc pixels the mask does not back are 2: open to the flood, not counted as mask.
  for (const s of seeds) {
    const sx = s % width;
    const sy = (s - sx) / width;
    for (let y = Math.max(0, sy - rr); y <= Math.min(height - 1, sy + rr); y++) {
      for (let x = Math.max(0, sx - rr); x <= Math.min(width - 1, sx + rr); x++) {
        const i = y * width + x;
        if ((x - sx) * (x - sx) + (y - sy) * (y - sy) <= r2 && !allowed[i]) allowed[i] = 2;
      }
    }
  }
  const cost = costScratch(n);
  for (let i = 0; i < n; i++) cost[i] = 1 - heat[i];
  watershedFromSeeds(cost, labels, allowed, width, height);

  if (p.centredRadiusFactor > 0) keepNearCentres(labels, seeds, width, p.centredRadiusFactor, p.minRadius);
  const count = p.minMaskFraction > 0 ? keepMaskBacked(labels, seeds, allowed, p.minMaskFraction) : seeds.length;
  const { meanDab, meanHematoxylin } = stainMeans(labels, count, hematoxylin, dab);
  const positive = new Uint8Array(count + 1);
  for (let l = 1; l <= count; l++) {
    const netSays = maps.positive[seeds[l - 1]] >= p.positiveThreshold && meanDab[l] >= p.positiveMinDab;
    positive[l] = netSays || meanDab[l] >= p.positiveDab ? 1 : 0;
  }
  return { width, height, labels, count, positive, meanDab, meanHematoxylin };
}

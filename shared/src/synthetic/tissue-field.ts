import type { Random } from './random';
import { createNoiseLattice, sampleNoise, type NoiseLattice } from './value-noise';

/** Where tissue is (1) and where the slide is empty (0), with a soft rim; smooth over ~60 µm. */
export interface TissueField {
  readonly coarse: NoiseLattice;
  readonly fine: NoiseLattice;
  /** Noise level below which the slide is empty; -Infinity when there are no empty areas. */
  readonly threshold: number;
  /** Half width of the soft transition, in noise units. */
  readonly band: number;
}

const SAMPLE_STEP_PX = 8;

function rawTissueNoise(field: Pick<TissueField, 'coarse' | 'fine'>, x: number, y: number): number {
  return 0.75 * sampleNoise(field.coarse, x, y) + 0.25 * sampleNoise(field.fine, x, y);
}

/** Builds the field so that about emptyAreaFraction of the image is empty. */
export function createTissueField(
  random: Random,
  width: number,
  height: number,
  pixelSizeMicrons: number,
  emptyAreaFraction: number,
): TissueField {
  const coarse = createNoiseLattice(random, width, height, 70 / pixelSizeMicrons);
  const fine = createNoiseLattice(random, width, height, 25 / pixelSizeMicrons);
  const band = 0.04;
  if (emptyAreaFraction <= 0) return { coarse, fine, threshold: Number.NEGATIVE_INFINITY, band };
  // The threshold is the emptyAreaFraction quantile of the noise, sampled on a coarse grid.
  const samples: number[] = [];
  for (let y = 0; y < height; y += SAMPLE_STEP_PX) {
    for (let x = 0; x < width; x += SAMPLE_STEP_PX) samples.push(rawTissueNoise({ coarse, fine }, x, y));
  }
  const sorted = Float32Array.from(samples).sort();
  const index = Math.min(sorted.length - 1, Math.floor(emptyAreaFraction * sorted.length));
  return { coarse, fine, threshold: sorted[index], band };
}

/** Tissue level at (x, y): 0 (empty glass) .. 1 (tissue). */
export function tissueLevel(field: TissueField, x: number, y: number): number {
  if (field.threshold === Number.NEGATIVE_INFINITY) return 1;
  const t = (rawTissueNoise(field, x, y) - field.threshold) / (2 * field.band) + 0.5;
  if (t <= 0) return 0;
  if (t >= 1) return 1;
  return t * t * (3 - 2 * t);
}

import type { Raster } from '../image/raster';
import { assertStainableRaster, opticalDensityTable, type BackgroundIntensity, WHITE_BACKGROUND } from './optical-density';
import { symmetricEigen3 } from './symmetric-eigen';
import { DEFAULT_HDAB_VECTORS, normaliseStainVector, stainAngleDegrees, type StainVector, type StainVectors } from './stain-vectors';

/** Tuning of the Macenko estimate; the defaults follow Macenko et al. (2009). */
export interface StainEstimateOptions {
  /** Pixels whose OD norm is below this are glass or too faint to carry a stain direction. */
  readonly minOpticalDensity?: number;
  /** Percentile (0..50) of the angle distribution taken as each stain's extreme direction. */
  readonly anglePercentile?: number;
  /** An estimated vector further than this (degrees) from its default is rejected. */
  readonly maxDeviationDegrees?: number;
  /** The two estimated vectors must be at least this far apart (degrees). */
  readonly minSeparationDegrees?: number;
  /** Fraction of stained pixels that must be dominated by a stain before its vector is estimated. */
  readonly minStainFraction?: number;
  /** At most this many pixels are sampled (evenly strided) for speed. */
  readonly maxPixels?: number;
  /** Vectors used where the image does not support an estimate. */
  readonly fallback?: StainVectors;
}

/** Result of a stain estimate: the vectors plus which of them came from the image. */
export interface StainEstimate {
  readonly stains: StainVectors;
  readonly estimated: { readonly hematoxylin: boolean; readonly dab: boolean };
  /** Stained (above minOpticalDensity) pixels that informed the estimate. */
  readonly stainedPixels: number;
}

/**
 * Macenko-style stain-vector estimation: the plane of the two main OD eigenvectors, the extreme
 * angles (robust percentiles) in it as the two stains, each matched to the nearer default.
 * A vector falls back to its default when the image has too little of that stain, when it
 * strays too far from the default, or when the two collapse onto each other.
 */
export function estimateStainVectors(
  raster: Raster,
  background: BackgroundIntensity = WHITE_BACKGROUND,
  options: StainEstimateOptions = {},
): StainEstimate {
  assertStainableRaster(raster);
  const beta = options.minOpticalDensity ?? 0.15;
  const percentile = options.anglePercentile ?? 1;
  const maxDeviation = options.maxDeviationDegrees ?? 25;
  const minSeparation = options.minSeparationDegrees ?? 15;
  const minFraction = options.minStainFraction ?? 0.01;
  const maxPixels = options.maxPixels ?? 250_000;
  const fallback = options.fallback ?? DEFAULT_HDAB_VECTORS;
  const none: StainEstimate = { stains: fallback, estimated: { hematoxylin: false, dab: false }, stainedPixels: 0 };

  const od = sampleStainedOd(raster, background, beta, maxPixels);
  const n = od.length / 3;
  if (n < 100) return { ...none, stainedPixels: n };

  // Eigen-plane of the OD cloud (Macenko uses the covariance about the origin-free mean).
  const cov = new Float64Array(9);
  const mean = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) mean[c] += od[i * 3 + c] / n;
  for (let i = 0; i < n; i++) {
    const x = od[i * 3] - mean[0];
    const y = od[i * 3 + 1] - mean[1];
    const z = od[i * 3 + 2] - mean[2];
    cov[0] += x * x; cov[1] += x * y; cov[2] += x * z;
    cov[4] += y * y; cov[5] += y * z; cov[8] += z * z;
  }
  cov[3] = cov[1]; cov[6] = cov[2]; cov[7] = cov[5];
  const { vectors } = symmetricEigen3(cov);
  const e1 = orientPositive(vectors[0]);
  const e2 = vectors[1];

  const angles = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = od[i * 3] * e1[0] + od[i * 3 + 1] * e1[1] + od[i * 3 + 2] * e1[2];
    const y = od[i * 3] * e2[0] + od[i * 3 + 1] * e2[1] + od[i * 3 + 2] * e2[2];
    angles[i] = Math.atan2(y, x);
  }
  angles.sort();
  const lo = angles[Math.floor((percentile / 100) * (n - 1))];
  const hi = angles[Math.ceil((1 - percentile / 100) * (n - 1))];
  const toVector = (phi: number): StainVector | null => {
    const v = [0, 1, 2].map((c) => e1[c] * Math.cos(phi) + e2[c] * Math.sin(phi));
    return v[0] + v[1] + v[2] > 0 && v.every((x) => x > -0.05) ? normaliseStainVector(v.map((x) => Math.max(x, 0))) : null;
  };
  const a = toVector(lo);
  const b = toVector(hi);
  if (!a || !b) return { ...none, stainedPixels: n };
  const straight = stainAngleDegrees(a, fallback.hematoxylin) + stainAngleDegrees(b, fallback.dab);
  const swapped = stainAngleDegrees(b, fallback.hematoxylin) + stainAngleDegrees(a, fallback.dab);
  const [h, d] = straight <= swapped ? [a, b] : [b, a];

  const share = dominantShares(od, fallback);
  const hOk = share.hematoxylin >= minFraction && stainAngleDegrees(h, fallback.hematoxylin) <= maxDeviation;
  let dOk = share.dab >= minFraction && stainAngleDegrees(d, fallback.dab) <= maxDeviation;
  const hematoxylin = hOk ? h : fallback.hematoxylin;
  if (dOk && stainAngleDegrees(hematoxylin, d) < minSeparation) dOk = false;
  const dab = dOk ? d : fallback.dab;
  return { stains: { hematoxylin, dab }, estimated: { hematoxylin: hOk, dab: dOk }, stainedPixels: n };
}

/** OD triples (flat) of up to maxPixels evenly strided pixels whose OD norm reaches beta. */
function sampleStainedOd(raster: Raster, background: BackgroundIntensity, beta: number, maxPixels: number): Float32Array {
  const table = opticalDensityTable(background);
  const count = raster.width * raster.height;
  const stride = Math.max(1, Math.ceil(count / maxPixels));
  const out = new Float32Array(Math.ceil(count / stride) * 3);
  const { data, channels } = raster;
  let n = 0;
  for (let p = 0; p < count; p += stride) {
    const o = p * channels;
    const r = table[data[o]];
    const g = table[256 + data[o + 1]];
    const b = table[512 + data[o + 2]];
    if (r * r + g * g + b * b < beta * beta) continue;
    out[n * 3] = r;
    out[n * 3 + 1] = g;
    out[n * 3 + 2] = b;
    n++;
  }
  return out.subarray(0, n * 3);
}

/** Fraction of stained pixels whose direction is closer to each default stain than to the other. */
function dominantShares(od: Float32Array, stains: StainVectors): { hematoxylin: number; dab: number } {
  const n = od.length / 3;
  let h = 0;
  for (let i = 0; i < n; i++) {
    const x = od[i * 3];
    const y = od[i * 3 + 1];
    const z = od[i * 3 + 2];
    const ch = x * stains.hematoxylin[0] + y * stains.hematoxylin[1] + z * stains.hematoxylin[2];
    const cd = x * stains.dab[0] + y * stains.dab[1] + z * stains.dab[2];
    if (ch >= cd) h++;
  }
  return { hematoxylin: h / n, dab: (n - h) / n };
}

function orientPositive(v: readonly number[]): number[] {
  return v[0] + v[1] + v[2] < 0 ? v.map((x) => -x) : [...v];
}

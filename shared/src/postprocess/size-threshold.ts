import type { Magnification } from '../scale/resolution';
import { roundHalfEven } from './python-round';

/** [min, default, max] of sqrt(size threshold) per magnification (DeepLIIF calculate_default_size_threshold). */
const SQRT_RANGE: Record<Magnification, readonly [number, number, number]> = {
  '40x': [4, 7, 10],
  '20x': [3, 4, 6],
  '10x': [2, 2, 3],
};
const KDE_BINS = 500;
const GAUSS_NORM = 1 / Math.sqrt(2 * Math.PI);

/**
 * DeepLIIF's 'auto' size threshold (px): the first local minimum of a Gaussian KDE (bandwidth 1,
 * 500 bins) of sqrt(cell sizes), clamped to the magnification's range (above max -> default).
 * Sizes are whole pixel counts, so equal sizes are summed once (exactly the same terms).
 */
export function defaultSizeThreshold(sizes: ArrayLike<number>, resolution: Magnification = '40x'): number {
  const n = sizes.length;
  if (n <= 1) return 0;
  const counts = new Map<number, number>();
  let maxSqrt = 0;
  for (let i = 0; i < n; i++) {
    counts.set(sizes[i], (counts.get(sizes[i]) ?? 0) + 1);
    const s = Math.sqrt(sizes[i]);
    if (s > maxSqrt) maxSqrt = s;
  }
  const values = Float64Array.from(counts.keys(), Math.sqrt);
  const weights = Float64Array.from(counts.values());
  const step = (maxSqrt + 1) / KDE_BINS;
  // float32 like DeepLIIF's kde array: the local-minimum test compares float32 values.
  const kde = new Float32Array(KDE_BINS);
  for (let i = 0; i < KDE_BINS; i++) {
    const x = i * step;
    let total = 0;
    for (let j = 0; j < values.length; j++) {
      const d = x - values[j];
      total += weights[j] * Math.exp(-(d * d) / 2) * GAUSS_NORM;
    }
    kde[i] = total / n;
  }
  let idx = 1;
  for (let i = 1; i < KDE_BINS - 1; i++) {
    if (kde[i] < kde[i - 1] && kde[i] < kde[i + 1]) {
      idx = i;
      break;
    }
  }
  let threshSqrt = (idx - 1) * step;
  const [low, fallback, high] = SQRT_RANGE[resolution];
  if (threshSqrt < low) threshSqrt = low;
  else if (threshSqrt > high) threshSqrt = fallback;
  return roundHalfEven(threshSqrt * threshSqrt);
}

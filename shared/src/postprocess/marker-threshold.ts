import { roundHalfEven } from './python-round';

/** numpy.percentile(sorted values, q) with the default 'linear' method, from a 256-bin histogram. */
function percentileFromHistogram(hist: Float64Array, total: number, q: number): number {
  const virtual = (total - 1) * (q / 100);
  const below = Math.floor(virtual);
  const gamma = virtual - below;
  const at = (k: number): number => {
    let seen = 0;
    for (let level = 0; level < hist.length; level++) {
      seen += hist[level];
      if (seen > k) return level;
    }
    return hist.length - 1;
  };
  const a = at(below);
  const b = at(Math.min(below + 1, total - 1));
  const diff = b - a;
  // numpy's _lerp: interpolate from the nearer end for t >= 0.5.
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/**
 * DeepLIIF's 'auto' marker threshold: 90% of the way from the 0.1th to the 99.9th percentile of
 * the non-zero marker levels (each rounded), over the whole image. 0 when the marker is all zero.
 */
export function defaultMarkerThreshold(marker: Uint8Array): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < marker.length; i++) hist[marker[i]]++;
  return markerThresholdFromHistogram(hist);
}

/** defaultMarkerThreshold from a 256-bin histogram of the marker levels (the histogram is modified). */
export function markerThresholdFromHistogram(hist: Float64Array): number {
  let total = 0;
  for (let level = 1; level < hist.length; level++) total += hist[level];
  hist[0] = 0;
  if (total === 0) return 0;
  const low = roundHalfEven(percentileFromHistogram(hist, total, 0.1));
  const high = roundHalfEven(percentileFromHistogram(hist, total, 99.9));
  return roundHalfEven((high - low) * 0.9) + low;
}

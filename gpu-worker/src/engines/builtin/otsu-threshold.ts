/**
 * Otsu's threshold of the values in [lo, hi] (values outside are clamped into the end bins),
 * from a `bins`-bin histogram; returns the upper edge of the best lower class.
 */
export function otsuThreshold(values: Float32Array, lo: number, hi: number, bins = 256): number {
  const histogram = new Float64Array(bins);
  const scale = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    let b = Math.floor((values[i] - lo) * scale);
    if (b < 0) b = 0;
    else if (b >= bins) b = bins - 1;
    histogram[b]++;
  }
  let total = 0;
  let sumAll = 0;
  for (let b = 0; b < bins; b++) {
    total += histogram[b];
    sumAll += b * histogram[b];
  }
  let weightLow = 0;
  let sumLow = 0;
  let best = -1;
  let bestBin = 0;
  for (let b = 0; b < bins - 1; b++) {
    weightLow += histogram[b];
    sumLow += b * histogram[b];
    const weightHigh = total - weightLow;
    if (weightLow === 0 || weightHigh === 0) continue;
    const meanLow = sumLow / weightLow;
    const meanHigh = (sumAll - sumLow) / weightHigh;
    const between = weightLow * weightHigh * (meanLow - meanHigh) * (meanLow - meanHigh);
    if (between > best) {
      best = between;
      bestBin = b;
    }
  }
  return lo + (bestBin + 1) / scale;
}

/**
 * Weighted quantiles (each `q` in [0, 1]) of `values`: the smallest value whose cumulative weight
 * reaches q of the total. Non-positive weights count as nothing; NaN when no weight is positive.
 */
export function weightedQuantiles(values: Float64Array, weights: Float64Array, qs: readonly number[]): number[] {
  const order = Array.from(values.keys()).sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] > 0) total += weights[i];
  if (total <= 0) return qs.map(() => Number.NaN);
  return qs.map((q) => {
    const target = q * total;
    let cumulative = 0;
    for (const index of order) {
      if (weights[index] <= 0) continue;
      cumulative += weights[index];
      if (cumulative >= target) return values[index];
    }
    return values[order[order.length - 1]];
  });
}

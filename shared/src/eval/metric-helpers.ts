/** Python's `a / b if b else None`. */
export function ratio(a: number, b: number): number | null {
  return b ? a / b : null;
}

/** evaluate-seg.py _f1: harmonic mean, 0 when both are 0, null when either is unknown. */
export function f1Score(precision: number | null, recall: number | null): number | null {
  if (precision === null || recall === null) return null;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** Mean of the numeric values (nulls skipped), null when there are none (numpy mean of a list). */
export function meanOf(values: ReadonlyArray<number | null | undefined>): number | null {
  let sum = 0, count = 0;
  for (const v of values) {
    if (typeof v === 'number' && Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  return count ? sum / count : null;
}

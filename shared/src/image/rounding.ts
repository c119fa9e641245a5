/**
 * Math.round(v) for v >= 0, without a branch: V8 compiles Math.round to a data-dependent branch
 * on the fraction, which mispredicts on about half of a plane of pixel values. v - floor(v) is
 * exact for v >= 0 (Sterbenz), so the tie rule (0.5 rounds up) holds exactly.
 */
export function roundNonNegative(v: number): number {
  const whole = Math.floor(v);
  return whole + +(v - whole >= 0.5);
}

/**
 * Math.round(v) clamped to [0, max], without a branch, for |v| < 2^31 and max one less than a
 * power of two (255, 1023): values around zero (unstained pixels) make branches on the sign and in
 * Math.round mispredict. roundNonNegative is Math.round for v >= 0 and at most 0 below, so after
 * the clamp the two agree for every v.
 */
export function roundClamped(v: number, max: number): number {
  const r = roundNonNegative(v) | 0;
  const positive = r & ~(r >> 31);
  return (positive | ((max - positive) >> 31)) & max;
}

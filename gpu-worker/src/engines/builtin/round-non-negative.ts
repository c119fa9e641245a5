/**
 * Math.round(v) for v >= 0, without a branch: V8 compiles Math.round to a data-dependent branch
 * on the fraction, which mispredicts on about half of a plane of pixel values. v - floor(v) is
 * exact for v >= 0 (Sterbenz), so the tie rule (0.5 rounds up) holds exactly.
 */
export function roundNonNegative(v: number): number {
  const whole = Math.floor(v);
  return whole + +(v - whole >= 0.5);
}

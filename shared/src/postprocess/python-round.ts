/**
 * Python's round(x, digits): the exact binary value rounded, ties to even. DeepLIIF rounds
 * percent_pos and thresholds with it; Math.round (ties up) and x.toFixed (ties up) disagree
 * on exact ties such as 12.25 -> 12.2.
 */
export function roundHalfEven(value: number, digits = 0): number {
  if (!Number.isFinite(value)) return value;
  const scaled = value * 10 ** digits;
  if (Math.abs(scaled) >= 2 ** 52) return value;
  // toFixed(20) prints enough of the exact binary value to tell a true tie from a near one
  // (the spacing of doubles below 2^52 / 10^digits is far above 1e-20 relative to digits shown).
  const text = Math.abs(value).toFixed(20);
  const point = text.indexOf('.');
  const rest = text.slice(point + 1 + digits);
  if (/^50*$/.test(rest)) {
    const kept = text.slice(0, point + 1 + digits).replace('.', '');
    const lastDigit = Number(kept[kept.length - 1]);
    const truncated = Number(text.slice(0, point + 1 + digits));
    const magnitude = lastDigit % 2 === 0 ? truncated : truncated + 10 ** -digits;
    return Math.sign(value) * Number(magnitude.toFixed(digits));
  }
  return Math.sign(value) * Number(Math.abs(value).toFixed(digits));
}

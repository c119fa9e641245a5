import { roundClamped, roundNonNegative } from '../../src/image/rounding';

describe('branch-free rounding', () => {
  const values = [0, 0.49999997, 0.5, 1.5, 2.5, 254.5, 255.49, 1e6 + 0.5, ...Array.from({ length: 200 }, (_, i) => i * 1.37 + 0.5)];

  it('roundNonNegative is Math.round for every value >= 0, ties included', () => {
    for (const v of values) expect(roundNonNegative(v)).toBe(Math.round(v));
  });

  it('roundClamped is Math.round clamped to [0, max], negatives included', () => {
    for (const v of [...values, -0.4, -0.5, -0.6, -3, -1e6, 300, 1023.4, 1023.5, 5000]) {
      for (const max of [255, 1023]) expect(roundClamped(v, max)).toBe(Math.min(max, Math.max(0, Math.round(v))));
    }
  });
});

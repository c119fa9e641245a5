import { DEFAULT_HDAB_VECTORS, invert3x3, normaliseStainVector, stainAngleDegrees, stainMatrix } from '../../src/stain/stain-vectors';
import { RestainError } from '../../src/errors';

describe('stain vectors', () => {
  it('normalises vectors to unit length', () => {
    const v = normaliseStainVector([3, 4, 0]);
    expect(v[0]).toBeCloseTo(0.6, 10);
    expect(v[1]).toBeCloseTo(0.8, 10);
    expect(Math.hypot(...DEFAULT_HDAB_VECTORS.dab)).toBeCloseTo(1, 10);
  });

  it('rejects zero and non-finite vectors with a typed error', () => {
    expect(() => normaliseStainVector([0, 0, 0])).toThrow(RestainError);
    expect(() => normaliseStainVector([1, Number.NaN, 0])).toThrow(/3 finite numbers/);
  });

  it('completes the matrix with a unit residual orthogonal to both stains', () => {
    const m = stainMatrix(DEFAULT_HDAB_VECTORS);
    const r = [m[6], m[7], m[8]];
    expect(Math.hypot(r[0], r[1], r[2])).toBeCloseTo(1, 10);
    expect(r[0] * m[0] + r[1] * m[1] + r[2] * m[2]).toBeCloseTo(0, 10);
    expect(r[0] * m[3] + r[1] * m[4] + r[2] * m[5]).toBeCloseTo(0, 10);
  });

  it('inverts the stain matrix', () => {
    const m = stainMatrix(DEFAULT_HDAB_VECTORS);
    const inv = invert3x3(m);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += m[i * 3 + k] * inv[k * 3 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
  });

  it('refuses parallel stains', () => {
    expect(() => stainMatrix({ hematoxylin: [1, 1, 0], dab: [2, 2, 0] })).toThrow(/distinct/);
  });

  it('measures angles in degrees', () => {
    expect(stainAngleDegrees([1, 0, 0], [0, 1, 0])).toBeCloseTo(90, 6);
    expect(stainAngleDegrees(DEFAULT_HDAB_VECTORS.hematoxylin, DEFAULT_HDAB_VECTORS.hematoxylin)).toBeCloseTo(0, 3);
  });
});

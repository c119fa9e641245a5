import { parseBuiltinOptions, toPixelParameters } from '../../../src/engines/builtin/builtin-options';
import { classifyNuclei } from '../../../src/engines/builtin/classify-nuclei';

const [W, H] = [80, 40];

/**
 * Two discs of radius 12: nucleus 1 unstained inside with a brown 3 px rim (a negative nucleus
 * hugged by DAB-stained cytoplasm), nucleus 2 evenly brown at 0.2 OD (a weakly positive nucleus).
 * At a 0.18 OD threshold both are positive by their whole-nucleus mean; only the core tells them apart.
 */
function fixture(): { labels: Int32Array; hematoxylin: Float32Array; dab: Float32Array } {
  const labels = new Int32Array(W * H);
  const hematoxylin = new Float32Array(W * H);
  const dab = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const r1 = Math.hypot(x - 20, y - 20);
      const r2 = Math.hypot(x - 58, y - 20);
      if (r1 <= 12) {
        labels[i] = 1;
        hematoxylin[i] = 0.3;
        dab[i] = r1 > 9 ? 0.9 : 0.02;
      } else if (r2 <= 12) {
        labels[i] = 2;
        hematoxylin[i] = 0.2;
        dab[i] = 0.2;
      }
    }
  }
  return { labels, hematoxylin, dab };
}

describe('classifyNuclei', () => {
  it('reads the whole nucleus when the core depth is 0: the brown rim makes nucleus 1 positive', () => {
    const { labels, hematoxylin, dab } = fixture();
    const p = toPixelParameters(parseBuiltinOptions({ classifyCoreMicrons: 0, positiveDabOd: 0.18 }), 0.05);
    const out = classifyNuclei(labels, 2, W, H, hematoxylin, dab, p);
    expect(out.meanDab[1]).toBeGreaterThan(0.25);
    expect(out.coreDab[1]).toBeCloseTo(out.meanDab[1], 6);
    expect(Array.from(out.positive.subarray(1))).toEqual([1, 1]);
  });

  it('ignores the rim when the core depth is set: the rim-stained nucleus turns negative, the evenly stained one stays positive', () => {
    const { labels, hematoxylin, dab } = fixture();
    // 1 µm = 4 px at the reference scale: the 3 px rim is left out.
    const p = toPixelParameters(parseBuiltinOptions({ classifyCoreMicrons: 1, positiveDabOd: 0.18 }), 0.05);
    const out = classifyNuclei(labels, 2, W, H, hematoxylin, dab, p);
    expect(out.coreDab[1]).toBeCloseTo(0.02, 6);
    expect(out.coreDab[2]).toBeCloseTo(0.2, 6);
    expect(out.meanDab[1]).toBeGreaterThan(0.25);
    expect(Array.from(out.positive.subarray(1))).toEqual([0, 1]);
  });

  it('falls back to the whole nucleus when the core is too thin to read', () => {
    const labels = new Int32Array(W * H);
    const dab = new Float32Array(W * H);
    const hematoxylin = new Float32Array(W * H);
    // A 3 px wide bar: no pixel lies 4 px from its outline.
    for (let y = 10; y < 30; y++) for (let x = 10; x < 13; x++) {
      labels[y * W + x] = 1;
      dab[y * W + x] = 0.4;
    }
    const p = toPixelParameters(parseBuiltinOptions({ classifyCoreMicrons: 1 }), 0.05);
    const out = classifyNuclei(labels, 1, W, H, hematoxylin, dab, p);
    expect(out.coreDab[1]).toBeCloseTo(0.4, 6);
    expect(out.positive[1]).toBe(1);
  });
});

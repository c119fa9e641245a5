import { createRaster } from '../../src/image/raster';
import { estimateStainVectors } from '../../src/stain/estimate-stain-vectors';
import { DEFAULT_HDAB_VECTORS, normaliseStainVector, stainAngleDegrees, type StainVectors } from '../../src/stain/stain-vectors';
import { symmetricEigen3 } from '../../src/stain/symmetric-eigen';

/** Deterministic mixtures: a share of pixels per stain with varying amounts, the rest glass. */
function slide(stains: StainVectors, dabShare: number, size = 100) {
  const raster = createRaster(size, size, 3);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  for (let p = 0; p < size * size; p++) {
    const u = random();
    let h = 0;
    let d = 0;
    if (u < dabShare) d = 0.3 + random() * 1.2;
    else if (u < 0.7) h = 0.2 + random() * 0.6;
    for (let c = 0; c < 3; c++) raster.data[p * 3 + c] = Math.round(250 * Math.pow(10, -(h * stains.hematoxylin[c] + d * stains.dab[c])));
  }
  return raster;
}

describe('estimateStainVectors', () => {
  it('finds stain vectors that differ from the defaults', () => {
    const truth: StainVectors = { hematoxylin: normaliseStainVector([0.6, 0.75, 0.28]), dab: normaliseStainVector([0.3, 0.55, 0.78]) };
    const estimate = estimateStainVectors(slide(truth, 0.3), [250, 250, 250]);
    expect(estimate.estimated).toEqual({ hematoxylin: true, dab: true });
    expect(stainAngleDegrees(estimate.stains.hematoxylin, truth.hematoxylin)).toBeLessThan(3);
    expect(stainAngleDegrees(estimate.stains.dab, truth.dab)).toBeLessThan(3);
  });

  it('keeps the default DAB vector when the image has almost no DAB', () => {
    const estimate = estimateStainVectors(slide(DEFAULT_HDAB_VECTORS, 0), [250, 250, 250]);
    expect(estimate.estimated.dab).toBe(false);
    expect(estimate.stains.dab).toBe(DEFAULT_HDAB_VECTORS.dab);
  });

  it('falls back to the defaults on glass only', () => {
    const estimate = estimateStainVectors(createRaster(30, 30, 3, 250));
    expect(estimate.stains).toBe(DEFAULT_HDAB_VECTORS);
    expect(estimate.stainedPixels).toBe(0);
  });
});

describe('symmetricEigen3', () => {
  it('returns eigenpairs sorted by eigenvalue', () => {
    const m = Float64Array.from([4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 1]);
    const { values, vectors } = symmetricEigen3(m);
    expect(values[0]).toBeGreaterThanOrEqual(values[1]);
    expect(values[1]).toBeGreaterThanOrEqual(values[2]);
    values.forEach((lambda, k) => {
      const v = vectors[k];
      for (let i = 0; i < 3; i++) {
        const mv = m[i * 3] * v[0] + m[i * 3 + 1] * v[1] + m[i * 3 + 2] * v[2];
        expect(mv).toBeCloseTo(lambda * v[i], 8);
      }
    });
  });
});

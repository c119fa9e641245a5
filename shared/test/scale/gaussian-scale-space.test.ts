import { createPlane } from '../../src/image/raster';
import { cropCentre, downsampleByTwo, gaussianBlur, normalisedHessianResponse } from '../../src/scale/gaussian-scale-space';

function disc(size: number, radius: number): ReturnType<typeof createPlane> {
  const plane = createPlane(size, size);
  const c = size / 2;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if ((x + 0.5 - c) ** 2 + (y + 0.5 - c) ** 2 <= radius * radius) plane.data[y * size + x] = 1;
  return plane;
}

describe('gaussian scale space', () => {
  it('blurs without gaining or losing mass away from the edges, and keeps constants constant', () => {
    const plane = disc(64, 6);
    const blurred = gaussianBlur(plane, 2.5);
    const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
    expect(sum(blurred.data)).toBeCloseTo(sum(plane.data), 2);
    const flat = createPlane(9, 5);
    flat.data.fill(0.7);
    for (const v of gaussianBlur(flat, 3).data) expect(v).toBeCloseTo(0.7, 5);
  });

  it('answers a disc of radius r most strongly at sigma = r / sqrt(2), at its centre', () => {
    const radius = 8;
    const plane = disc(96, radius);
    let bestSigma = 0;
    let best = 0;
    for (let sigma = 3; sigma <= 9; sigma += 0.25) {
      const response = normalisedHessianResponse(gaussianBlur(plane, sigma), sigma);
      const centre = response[48 * 96 + 48];
      if (centre > best) {
        best = centre;
        bestSigma = sigma;
      }
    }
    expect(bestSigma).toBeGreaterThanOrEqual(radius / Math.SQRT2 - 0.5);
    expect(bestSigma).toBeLessThanOrEqual(radius / Math.SQRT2 + 0.5);
    // A disc of contrast 1 answers about 1 / e (half the LoG's 2 / e).
    expect(best).toBeGreaterThan(0.3);
    expect(best).toBeLessThan(0.42);
  });

  it('gives no response along a straight edge', () => {
    const plane = createPlane(40, 40);
    for (let y = 0; y < 40; y++) for (let x = 20; x < 40; x++) plane.data[y * 40 + x] = 1;
    const response = normalisedHessianResponse(gaussianBlur(plane, 3), 3);
    for (let x = 5; x < 35; x++) expect(response[20 * 40 + x]).toBeCloseTo(0, 6);
  });

  it('halves a plane by 2x2 means and crops its centre', () => {
    const plane = createPlane(5, 4);
    plane.data.set([1, 3, 5, 7, 9, 1, 3, 5, 7, 9, 0, 0, 2, 2, 4, 4, 4, 6, 6, 8]);
    expect(Array.from(downsampleByTwo(plane).data)).toEqual([2, 6, 2, 4]);
    const crop = cropCentre(plane, 3, 2);
    expect(Array.from(crop.data)).toEqual([3, 5, 7, 0, 2, 2]);
  });
});

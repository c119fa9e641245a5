import { createRaster, type Raster } from '../../src/image/raster';
import { deconvolveStains, recomposeStain } from '../../src/stain/colour-deconvolution';
import { DEFAULT_HDAB_VECTORS, type StainVectors } from '../../src/stain/stain-vectors';

/** One pixel per (h, d) pair, Beer-Lambert mixed on the given glass. */
function mixPixels(pairs: Array<[number, number]>, stains: StainVectors = DEFAULT_HDAB_VECTORS, glass = [255, 255, 255]): Raster {
  const raster = createRaster(pairs.length, 1, 3);
  pairs.forEach(([h, d], p) => {
    for (let c = 0; c < 3; c++) {
      raster.data[p * 3 + c] = Math.round(glass[c] * Math.pow(10, -(h * stains.hematoxylin[c] + d * stains.dab[c])));
    }
  });
  return raster;
}

describe('colour deconvolution', () => {
  it('recovers hematoxylin and DAB amounts of Beer-Lambert mixtures', () => {
    const pairs: Array<[number, number]> = [[0, 0], [0.4, 0], [0, 0.8], [0.3, 0.5]];
    const { hematoxylin, dab, residual } = deconvolveStains(mixPixels(pairs));
    pairs.forEach(([h, d], p) => {
      expect(hematoxylin.data[p]).toBeCloseTo(h, 1);
      expect(dab.data[p]).toBeCloseTo(d, 1);
      expect(Math.abs(residual.data[p])).toBeLessThan(0.03);
    });
  });

  it('uses the given glass intensity as I0', () => {
    const glass = [220, 210, 200];
    const { hematoxylin, dab } = deconvolveStains(mixPixels([[0, 0], [0.5, 0]], DEFAULT_HDAB_VECTORS, glass), DEFAULT_HDAB_VECTORS, [220, 210, 200]);
    expect(hematoxylin.data[0]).toBeCloseTo(0, 2);
    expect(hematoxylin.data[1]).toBeCloseTo(0.5, 1);
    expect(Math.abs(dab.data[1])).toBeLessThan(0.03);
  });

  it('re-composes a hematoxylin-only image that deconvolves back to the same amounts', () => {
    const mixed = mixPixels([[0.4, 0.6], [0.2, 0]]);
    const { hematoxylin } = deconvolveStains(mixed);
    const hema = recomposeStain(hematoxylin, DEFAULT_HDAB_VECTORS.hematoxylin);
    expect(hema.channels).toBe(3);
    const again = deconvolveStains(hema);
    expect(again.hematoxylin.data[0]).toBeCloseTo(hematoxylin.data[0], 1);
    expect(Math.abs(again.dab.data[0])).toBeLessThan(0.03);
  });

  it('accepts RGBA rasters and rejects grey ones', () => {
    const rgba = createRaster(1, 1, 4, 255);
    expect(deconvolveStains(rgba).hematoxylin.data[0]).toBeCloseTo(0, 6);
    expect(() => deconvolveStains(createRaster(2, 2, 1))).toThrow(/RGB or RGBA/);
  });
});

import { createRaster } from '../../src/image/raster';
import { estimateBackgroundIntensity, opticalDensityTable, WHITE_BACKGROUND } from '../../src/stain/optical-density';

function paint(width: number, height: number, glassFraction: number, glass: number[], tissue: number[]) {
  const raster = createRaster(width, height, 3);
  const glassPixels = Math.round(width * height * glassFraction);
  for (let p = 0; p < width * height; p++) raster.data.set(p < glassPixels ? glass : tissue, p * 3);
  return raster;
}

describe('optical density', () => {
  it('estimates the glass colour from the brightest pixels', () => {
    const raster = paint(50, 40, 0.1, [230, 224, 212], [150, 120, 170]);
    const bg = estimateBackgroundIntensity(raster);
    expect(bg[0]).toBeCloseTo(230, 6);
    expect(bg[1]).toBeCloseTo(224, 6);
    expect(bg[2]).toBeCloseTo(212, 6);
  });

  it('falls back to white when even the brightest pixels are tissue', () => {
    const raster = paint(20, 20, 0, [0, 0, 0], [120, 90, 140]);
    expect(estimateBackgroundIntensity(raster)).toEqual(WHITE_BACKGROUND);
  });

  it('tabulates OD = -log10(I / I0), zero at and above the glass', () => {
    const table = opticalDensityTable([200, 255, 100]);
    expect(table[200]).toBeCloseTo(0, 6);
    expect(table[220]).toBe(0);
    expect(table[20]).toBeCloseTo(1, 5);
    expect(table[256 + 255]).toBeCloseTo(0, 6);
    expect(table[512 + 10]).toBeCloseTo(1, 5);
    expect(table[0]).toBeCloseTo(-Math.log10(1 / 200), 5);
  });

  it('rejects an out-of-range background', () => {
    expect(() => opticalDensityTable([0, 255, 255])).toThrow(/\[1, 255\]/);
  });
});

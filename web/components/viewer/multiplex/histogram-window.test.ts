import { autoWindow, compositeAdditive, histogramPath, moveHandle, windowLut } from './histogram-window';

describe('histogram window', () => {
  it('maps low to 0 and high to 255, linear between', () => {
    const lut = windowLut({ low: 50, high: 150 });
    expect([lut[0], lut[50], lut[100], lut[150], lut[255]]).toEqual([0, 0, 128, 255, 255]);
  });

  it('keeps low below high when a handle is dragged past the other', () => {
    expect(moveHandle({ low: 10, high: 40 }, 'low', 90)).toEqual({ low: 90, high: 91 });
    expect(moveHandle({ low: 10, high: 40 }, 'high', 0)).toEqual({ low: 0, high: 1 });
    expect(moveHandle({ low: 10, high: 40 }, 'low', 300)).toEqual({ low: 254, high: 255 });
  });

  it('starts from the non-zero levels\' 0.5-99.5 percentiles', () => {
    const hist = new Array(256).fill(0);
    hist[0] = 1e6;
    for (let v = 20; v < 120; v++) hist[v] = 10;
    expect(autoWindow(hist)).toEqual({ low: 19, high: 119 });
    expect(autoWindow(new Array(256).fill(0))).toEqual({ low: 0, high: 255 });
  });

  it('composites layers additively with saturation', () => {
    const out = new Uint32Array(2);
    compositeAdditive([
      { plane: Uint8Array.from([255, 100]), window: { low: 0, high: 255 }, colour: [255, 0, 0] },
      { plane: Uint8Array.from([255, 0]), window: { low: 0, high: 255 }, colour: [255, 0, 255] },
    ], out);
    // Pixel 0: red saturates at 255, blue 255; pixel 1: red 100.
    expect([...out].map((v) => v >>> 0)).toEqual([0xffff00ff, 0xff000064]);
  });

  it('draws a histogram path spanning the box', () => {
    const path = histogramPath(new Array(256).fill(1), 256, 40);
    expect(path.startsWith('M0 40')).toBe(true);
    expect(path.endsWith('L256 40Z')).toBe(true);
  });
});

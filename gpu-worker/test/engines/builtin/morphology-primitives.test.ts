import { fillConvexHulls } from '../../../src/engines/builtin/convex-fill';
import { distanceToBackground } from '../../../src/engines/builtin/distance-transform';
import { gaussianBlur } from '../../../src/engines/builtin/gaussian-blur';
import { greyOpening } from '../../../src/engines/builtin/grey-morphology';
import { hMaximaMarkers } from '../../../src/engines/builtin/h-maxima';
import { fillHoles, labelComponents } from '../../../src/engines/builtin/regions';
import { watershedFromSeeds } from '../../../src/engines/builtin/watershed';

function randomMask(width: number, height: number, density: number, seed: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296) < density ? 1 : 0;
  return mask;
}

describe('distanceToBackground', () => {
  it('matches brute-force Euclidean distances', () => {
    const [w, h] = [23, 17];
    const mask = randomMask(w, h, 0.85, 3);
    const d = distanceToBackground(mask, w, h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      let best = Infinity;
      for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < w; xx++) if (!mask[yy * w + xx]) best = Math.min(best, Math.hypot(x - xx, y - yy));
      expect(d[y * w + x]).toBeCloseTo(mask[y * w + x] ? best : 0, 4);
    }
  });

  it('treats the image edge as background when asked', () => {
    const mask = new Uint8Array(9).fill(1);
    expect(distanceToBackground(mask, 3, 3, true)[4]).toBe(2);
  });
});

describe('greyOpening', () => {
  it('matches a brute-force min-then-max filter', () => {
    const [w, h, size] = [19, 13, 5];
    const src = Float32Array.from(randomMask(w, h, 0.5, 9), (v, i) => v * 3 + (i % 7));
    const filter = (img: Float32Array, pick: (a: number, b: number) => number, init: number) => img.map((_, i) => {
      const x = i % w;
      const y = (i - x) / w;
      let m = init;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
        if (x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h) m = pick(m, img[(y + dy) * w + x + dx]);
      }
      return m;
    });
    const expected = filter(filter(src, Math.min, Infinity), Math.max, -Infinity);
    expect(Array.from(greyOpening(src, w, h, size))).toEqual(Array.from(expected));
  });
});

describe('gaussianBlur', () => {
  it.each([1, 3])('keeps a constant image constant and spreads a spike symmetrically (sigma %d)', (sigma) => {
    const flat = gaussianBlur(new Float32Array(40 * 30).fill(2), 40, 30, sigma);
    expect(Math.max(...flat.map((v) => Math.abs(v - 2)))).toBeLessThan(1e-4);
    const spike = new Float32Array(41 * 41);
    spike[20 * 41 + 20] = 1;
    const out = gaussianBlur(spike, 41, 41, sigma);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    expect(out[20 * 41 + 17]).toBeCloseTo(out[20 * 41 + 23], 2);
    expect(out[17 * 41 + 20]).toBeCloseTo(out[23 * 41 + 20], 2);
    expect(out[20 * 41 + 20]).toBeGreaterThan(out[20 * 41 + 22]);
  });
});

describe('h-maxima seeds and watershed', () => {
  // Two domes of height 5 and 4 joined by a saddle at 3.
  const f = Float32Array.from([0, 1, 3, 5, 3, 3, 4, 2, 0]);
  const mask = Uint8Array.from([0, 1, 1, 1, 1, 1, 1, 1, 0]);

  it('keeps both domes when h is below their dynamic and merges them above it', () => {
    expect(Array.from(hMaximaMarkers(f, mask, 9, 1, 0.5))).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 0]);
    expect(Array.from(hMaximaMarkers(f, mask, 9, 1, 1.5))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('floods each mask pixel from the seed it is reached from first', () => {
    const labels = Int32Array.from([0, 0, 0, 1, 0, 0, 2, 0, 0]);
    watershedFromSeeds(f.map((v) => -v), labels, mask, 9, 1);
    expect(Array.from(labels)).toEqual([0, 1, 1, 1, 1, 2, 2, 2, 0]);
  });
});

describe('regions', () => {
  it('labels 8-connected components and fills enclosed holes up to a size', () => {
    // A ring around a 1-pixel hole, and a separate diagonal pair.
    const w = 7;
    const mask = Uint8Array.from([
      1, 1, 1, 0, 0, 0, 0,
      1, 0, 1, 0, 0, 0, 0,
      1, 1, 1, 0, 0, 1, 0,
      0, 0, 0, 0, 0, 0, 1,
    ]);
    expect(labelComponents(mask, w, 4, 8).count).toBe(2);
    expect(labelComponents(mask, w, 4, 4).count).toBe(3);
    const filled = Uint8Array.from(mask);
    fillHoles(filled, w, 4, 0);
    expect(filled[w + 1]).toBe(0);
    fillHoles(filled, w, 4, 1);
    expect(filled[w + 1]).toBe(1);
  });

  it('fills a crescent out to its convex hull without taking other nuclei', () => {
    const [w, h] = [12, 9];
    const labels = new Int32Array(w * h);
    // A "C" of label 1 (open to the right) and a pixel of label 2 inside its hull.
    for (let y = 1; y <= 7; y++) labels[y * w + 1] = 1;
    for (let x = 1; x <= 6; x++) labels[w + x] = labels[7 * w + x] = 1;
    labels[4 * w + 4] = 2;
    fillConvexHulls(labels, 2, w, h);
    expect(labels[4 * w + 3]).toBe(1);
    expect(labels[4 * w + 6]).toBe(1);
    expect(labels[4 * w + 4]).toBe(2);
    expect(labels[4 * w + 8]).toBe(0);
  });
});

import { distanceToBackground } from '../../../src/engines/builtin/distance-transform';
import { gaussianBlur } from '../../../src/engines/builtin/gaussian-blur';
import { greyOpening } from '../../../src/engines/builtin/grey-morphology';
import { hMaximaMarkers } from '../../../src/engines/builtin/h-maxima';
import { renderSeg } from '../../../src/engines/builtin/render-channels';
import { floodFromSeeds, watershedFromSeeds } from '../../../src/engines/builtin/watershed';
import { random, randomMask } from './exact-references';

// The fast paths must give bit-identical results to the plain definitions: compare exactly.

describe('distanceToBackground is exact', () => {
  it.each([
    [31, 17, 0.9, false],
    [31, 17, 0.9, true],
    [12, 40, 0.97, false],
    [12, 40, 1, false],
    [12, 40, 1, true],
    [20, 1, 0.8, true],
  ])('%dx%d density %d border %s', (w, h, density, border) => {
    const mask = randomMask(w, h, density, w * 7 + h);
    const d = distanceToBackground(mask, w, h, border);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      let best = border ? Math.min(x + 1, y + 1, w - x, h - y) ** 2 : 1e20;
      for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < w; xx++) {
        if (!mask[yy * w + xx]) best = Math.min(best, (x - xx) ** 2 + (y - yy) ** 2);
      }
      expect(d[y * w + x]).toBe(Math.fround(Math.sqrt(mask[y * w + x] ? best : 0)));
    }
  });
});

describe('greyOpening is exact', () => {
  it('equals a brute-force min-then-max filter on a non-square plane', () => {
    const [w, h, size] = [29, 14, 7];
    const next = random(11);
    const src = Float32Array.from({ length: w * h }, () => Math.fround(next() * 4 - 1));
    const half = size >> 1;
    const filter = (img: Float32Array, pick: (a: number, b: number) => number, init: number) => img.map((_, i) => {
      const x = i % w;
      const y = (i - x) / w;
      let m = init;
      for (let dy = -half; dy <= half; dy++) for (let dx = -half; dx <= half; dx++) {
        if (x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h) m = pick(m, img[(y + dy) * w + x + dx]);
      }
      return m;
    });
    expect(Array.from(greyOpening(src, w, h, size))).toEqual(Array.from(filter(filter(src, Math.min, Infinity), Math.max, -Infinity)));
  });
});

describe('gaussianBlur is bit-identical to the plain loops', () => {
  const [w, h] = [23, 11];
  const next = random(3);
  const src = Float32Array.from({ length: w * h }, () => next());

  it('kernel path (sigma 1): rows in double, columns accumulated row by row in Float32', () => {
    const radius = 3;
    const kernel = Float32Array.from({ length: 7 }, (_, i) => Math.exp(-((i - radius) ** 2) / 2));
    const total = kernel.reduce((a, b) => a + b, 0);
    for (let i = 0; i < 7; i++) kernel[i] /= total;
    const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
    const tmp = src.map((_, i) => {
      const x = i % w;
      let acc = 0;
      for (let k = 0; k < 7; k++) acc += src[i - x + clamp(x + k - radius, w)] * kernel[k];
      return acc;
    });
    const expected = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let k = 0; k < 7; k++) {
      for (let x = 0; x < w; x++) expected[y * w + x] += tmp[clamp(y + k - radius, h) * w + x] * kernel[k];
    }
    expect(Array.from(gaussianBlur(src, w, h, 1))).toEqual(Array.from(expected));
  });

  it.each([[23, 11], [16, 8], [9, 3]])('recursive path (sigma 3, %dx%d): equals the one-row-at-a-time recurrence', (width, height) => {
    const plane = src.subarray(0, width * height);
    const q = 0.98711 * 3 - 0.9633;
    const b0 = 1.57825 + 2.44413 * q + 1.4281 * q * q + 0.422205 * q ** 3;
    const b = [(2.44413 * q + 2.85619 * q * q + 1.26661 * q ** 3) / b0, -(1.4281 * q * q + 1.26661 * q ** 3) / b0, (0.422205 * q ** 3) / b0];
    const B = 1 - (b[0] + b[1] + b[2]);
    const out = Float32Array.from(plane);
    // Reference: the plain Young & van Vliet passes, state kept in doubles along each row.
    const run = (at: (i: number) => number, n: number, forward: boolean) => {
      const order = Array.from({ length: n }, (_, i) => (forward ? i : n - 1 - i));
      let [w1, w2, w3] = [out[at(order[0])], out[at(order[0])], out[at(order[0])]];
      for (const i of order) {
        const w = B * out[at(i)] + b[0] * w1 + b[1] * w2 + b[2] * w3;
        out[at(i)] = w;
        [w3, w2, w1] = [w2, w1, w];
      }
    };
    for (let y = 0; y < height; y++) {
      run((x) => y * width + x, width, true);
      run((x) => y * width + x, width, false);
    }
    // Columns read stored (Float32) rows, the rows before the first (after the last) clamped.
    const clamp = (y: number) => Math.min(height - 1, Math.max(0, y)) * width;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      out[y * width + x] = B * out[y * width + x] + b[0] * out[clamp(y - 1) + x] + b[1] * out[clamp(y - 2) + x] + b[2] * out[clamp(y - 3) + x];
    }
    for (let y = height - 1; y >= 0; y--) for (let x = 0; x < width; x++) {
      out[y * width + x] = B * out[y * width + x] + b[0] * out[clamp(y + 1) + x] + b[1] * out[clamp(y + 2) + x] + b[2] * out[clamp(y + 3) + x];
    }
    expect(Array.from(gaussianBlur(plane, width, height, 3))).toEqual(Array.from(out));
  });
});

describe('hMaximaMarkers and renderSeg at image edges', () => {
  it('finds a dome in every corner', () => {
    const [w, h] = [9, 7];
    const f = new Float32Array(w * h);
    for (const [x, y] of [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]]) f[y * w + x] = 2;
    const markers = hMaximaMarkers(f, new Uint8Array(w * h).fill(1), w, h, 1);
    expect(Array.from(markers).reduce((a, b) => a + b, 0)).toBe(4);
    expect(markers[0] && markers[w - 1] && markers[(h - 1) * w] && markers[w * h - 1]).toBe(1);
  });

  it('draws touching nuclei and rings correctly along the border', () => {
    const [w, h] = [6, 3];
    const labels = Int32Array.from([1, 1, 2, 0, 0, 0, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const seg = { width: w, height: h, labels, count: 2, positive: Uint8Array.from([0, 1, 0]), meanDab: new Float32Array(3), meanHematoxylin: new Float32Array(3) };
    // Stain grades the interiors: full-scale OD at pixel 0, none at pixel 2 (the floor).
    const hematoxylin = new Float32Array(w * h).fill(0.8);
    hematoxylin[2] = 0;
    const dab = new Float32Array(w * h).fill(0.8);
    dab[2] = 0;
    const rgb = renderSeg(seg, hematoxylin, dab).data;
    const colour = (i: number) => Array.from(rgb.subarray(i * 3, i * 3 + 3));
    expect(colour(0)).toEqual([255, 0, 0]);
    expect(colour(1)).toEqual([0, 255, 0]);
    expect(colour(2)).toEqual([0, 0, 121]);
    expect(colour(3)).toEqual([0, 255, 0]);
    expect(colour(14)).toEqual([0, 255, 0]);
    expect(colour(17)).toEqual([0, 0, 0]);
  });
});

describe('flooding fast paths', () => {
  const [w, h] = [37, 26];

  /** Plain hierarchical-queue watershed: one array FIFO per level. */
  function referenceWatershed(cost: Float32Array, labels: Int32Array, mask: Uint8Array, levels: number): void {
    const inMask = Array.from(cost).filter((_, i) => mask[i]);
    const [lo, hi] = [Math.min(...inMask), Math.max(...inMask)];
    const scale = hi > lo ? (levels - 1) / (hi - lo) : 0;
    const queues: number[][] = Array.from({ length: levels }, () => []);
    const queued = Uint8Array.from(labels, (l) => (l > 0 ? 1 : 0));
    labels.forEach((l, p) => l > 0 && queues[Math.round((cost[p] - lo) * scale)].push(p));
    for (let level = 0; level < levels; level++) {
      for (let k = 0; k < queues[level].length; k++) {
        const p = queues[level][k];
        const x = p % w;
        for (const q of [x < w - 1 ? p + 1 : -1, x > 0 ? p - 1 : -1, p + w < w * h ? p + w : -1, p - w]) {
          if (q < 0 || !mask[q] || queued[q]) continue;
          queued[q] = 1;
          labels[q] = labels[p];
          queues[Math.max(level, Math.round((cost[q] - lo) * scale))].push(q);
        }
      }
    }
  }

  it('watershedFromSeeds floods as the plain hierarchical queue does', () => {
    const next = random(29);
    const mask = randomMask(w, h, 0.85, 31);
    const cost = Float32Array.from({ length: w * h }, () => Math.floor(next() * 40) / 7);
    const seeds = Int32Array.from(mask, (v) => (v && next() < 0.03 ? 1 + Math.floor(next() * 5) : 0));
    for (const levels of [1, 16, 1024]) {
      const [got, expected] = [Int32Array.from(seeds), Int32Array.from(seeds)];
      watershedFromSeeds(cost, got, mask, w, h, levels);
      referenceWatershed(cost, expected, mask, levels);
      expect(Array.from(got)).toEqual(Array.from(expected));
    }
  });

  it('floodFromSeeds equals the watershed of a flat cost', () => {
    const next = random(37);
    const mask = randomMask(w, h, 0.8, 41);
    const seeds = Int32Array.from(mask, (v) => (v && next() < 0.5 ? 1 + Math.floor(next() * 6) : 0));
    const [got, expected] = [Int32Array.from(seeds), Int32Array.from(seeds)];
    floodFromSeeds(got, mask, w, h);
    watershedFromSeeds(new Float32Array(w * h), expected, mask, w, h, 1);
    expect(Array.from(got)).toEqual(Array.from(expected));
  });

  it('hMaximaMarkers equals the plain reconstruction by dilation iterated to stability', () => {
    const next = random(43);
    const mask = randomMask(w, h, 0.9, 47);
    const f = Float32Array.from({ length: w * h }, (_, i) => Math.sin((i % w) / 3) * Math.cos(Math.floor(i / w) / 4) * 3 + next());
    const depth = 0.7;
    const rec = Float32Array.from(f, (v, i) => (mask[i] ? v - depth : -Infinity));
    for (let changed = true; changed;) {
      changed = false;
      for (let i = 0; i < w * h; i++) {
        if (!mask[i]) continue;
        const [x, y] = [i % w, Math.floor(i / w)];
        let m = rec[i];
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
          if (x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h) m = Math.max(m, rec[(y + dy) * w + x + dx]);
        }
        m = Math.min(m, f[i]);
        if (m !== rec[i]) [rec[i], changed] = [m, true];
      }
    }
    const expected = Array.from(f, (v, i) => (mask[i] && v - rec[i] >= depth - 1e-4 ? 1 : 0));
    const markers = hMaximaMarkers(f, mask, w, h, depth);
    expect(Array.from(markers)).toEqual(expected);
    expect(expected.some((v) => v === 1)).toBe(true);
  });
});

describe('gaussianBlur within a mask', () => {
  it('kernel path: pixels inside the mask equal the full blur', () => {
    const [w, h] = [30, 17];
    const next = random(53);
    const src = Float32Array.from({ length: w * h }, () => next());
    const within = randomMask(w, h, 0.3, 59);
    const full = gaussianBlur(src, w, h, 1);
    const part = gaussianBlur(src, w, h, 1, new Float32Array(w * h), within);
    expect(Array.from(part).filter((_, i) => within[i])).toEqual(Array.from(full).filter((_, i) => within[i]));
  });
});

import { markBackground, segToMask } from '@restain/shared';
import type { ResultPlanes } from './planes';
import { syntheticMaps } from './synthetic-result.test-support';
import { ThresholdMasks } from './threshold-masks';

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** What the server does: threshold the whole Seg, then fill the background from the border. */
function reference(planes: ResultPlanes, segThresh: number): Uint8Array {
  const { width, height } = planes;
  const mask = segToMask({ width, height, channels: planes.segChannels, data: planes.seg }, segThresh).votes;
  markBackground(mask, width, height, new Int32Array(width * height));
  return mask;
}

function expectSameMasks(planes: ResultPlanes, thresholds: number[]): void {
  const { width, height } = planes;
  const masks = new ThresholdMasks(planes, new Int32Array(width * height));
  const mask = new Uint8Array(width * height).fill(7), stack = new Int32Array(width * height).fill(-1);
  for (const t of thresholds) {
    const got = masks.maskAt(t, mask, stack, width, height), want = reference(planes, t);
    // The first differing pixel (none), cheaper than a deep comparison of every threshold's mask.
    expect([t, want.findIndex((v, i) => v !== got[i])]).toEqual([t, -1]);
  }
}

describe('ThresholdMasks', () => {
  it('gives the server mask of a synthetic result at every seg threshold, reusing its buffers', () => {
    const maps = syntheticMaps(320, 240, 3);
    const planes: ResultPlanes = { width: 320, height: 240, seg: maps.seg.data, segChannels: 3, marker: null, dab: null };
    const all = Array.from({ length: 255 }, (_, t) => t);
    expectSameMasks(planes, [...all, ...all.filter((t) => t % 7 === 3).reverse()]);
    // The thresholds really change the cells and the enclosed gaps.
    expect(new Set(all.map((t) => reference(planes, t).reduce((n, v) => n + (v === 0 ? 1 : 0), 0))).size).toBeGreaterThan(3);
  });

  it('gives the server mask on random Segs with rings, holes and borders, RGB and RGBA', () => {
    const rnd = random(7);
    for (let trial = 0; trial < 300; trial++) {
      const width = 1 + Math.floor(rnd() * 40), height = 1 + Math.floor(rnd() * 30), channels = trial % 2 === 0 ? 3 : 4;
      // Few levels and some green, so thresholds open and close holes and paths to the border.
      const levels = [0, 0, 40, 90, 130, 200, 255];
      const seg = new Uint8Array(width * height * channels).map((_, i) =>
        i % channels === 1 ? (rnd() < 0.1 ? 200 : 0) : levels[Math.floor(rnd() * levels.length)]);
      const planes: ResultPlanes = { width, height, seg, segChannels: channels as 3 | 4, marker: null, dab: null };
      expectSameMasks(planes, [0, 1 + Math.floor(rnd() * 254), Math.floor(rnd() * 255), 254]);
    }
  });

  it('refuses a threshold that is not a whole number', () => {
    const planes: ResultPlanes = { width: 2, height: 2, seg: new Uint8Array(12), segChannels: 3, marker: null, dab: null };
    expect(() => new ThresholdMasks(planes, new Int32Array(4)).maskAt(120.5, new Uint8Array(4), new Int32Array(4), 2, 2)).toThrow(/whole number/);
  });
});

import { detectNuclei, type NucleusMapParameters } from '../../../src/engines/nuclei/detect-nuclei';
import type { NucleusMaps } from '../../../src/engines/nuclei/nucleus-maps';

const W = 80;
const H = 60;
const params: NucleusMapParameters = { centreSigma: 1, centreThreshold: 0.4, minCentreDistance: 5, maskThreshold: 0.5, minRadius: 3, minMaskFraction: 0, positiveThreshold: 0.5, positiveMinDab: 0, positiveDab: 3, centredRadiusFactor: 0, minNuclearOd: 0 };

function blankMaps(): NucleusMaps {
  return { centre: new Float32Array(W * H), positive: new Float32Array(W * H), mask: new Float32Array(W * H) };
}

function addPeak(plane: Float32Array, cx: number, cy: number, sigma: number, height = 1): void {
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) plane[y * W + x] = Math.max(plane[y * W + x], height * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma * sigma)));
}

function fillDisc(plane: Float32Array, cx: number, cy: number, r: number, value: number): void {
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) plane[y * W + x] = value;
}

function run(maps: NucleusMaps, overrides: Partial<NucleusMapParameters> = {}, dab = new Float32Array(W * H).fill(0.3), hematoxylin = new Float32Array(W * H)) {
  return detectNuclei(maps, hematoxylin, dab, W, H, { ...params, ...overrides });
}

function labelAt(seg: ReturnType<typeof run>, x: number, y: number): number {
  return seg.labels[y * W + x];
}

describe('detectNuclei', () => {
  it('splits one mask blob between two centres along the valley of the heat', () => {
    const maps = blankMaps();
    addPeak(maps.centre, 30, 30, 4);
    addPeak(maps.centre, 46, 30, 4);
    fillDisc(maps.mask, 30, 30, 8, 1);
    fillDisc(maps.mask, 46, 30, 8, 1);
    const seg = run(maps);
    expect(seg.count).toBe(2);
    const left = labelAt(seg, 30, 30);
    const right = labelAt(seg, 46, 30);
    expect(left).toBeGreaterThan(0);
    expect(right).toBeGreaterThan(0);
    expect(left).not.toBe(right);
    expect(labelAt(seg, 36, 30)).toBe(left);
    expect(labelAt(seg, 40, 30)).toBe(right);
    // Only mask pixels (plus each centre's small disc) are claimed.
    expect(labelAt(seg, 30, 39)).toBe(0);
    expect(labelAt(seg, 5, 5)).toBe(0);
    expect(seg.meanDab[left]).toBeCloseTo(0.3, 5);
  });

  it('gives a centre the mask misses its own small disc, and ignores mask without a centre', () => {
    const maps = blankMaps();
    addPeak(maps.centre, 20, 20, 3);
    fillDisc(maps.mask, 60, 40, 6, 1);
    const seg = run(maps);
    expect(seg.count).toBe(1);
    let area = 0;
    for (const l of seg.labels) if (l === 1) area++;
    expect(area).toBe(29); // the r = 3 disc
    expect(labelAt(seg, 60, 40)).toBe(0);
  });

  it('drops cells the mask does not back (minMaskFraction) and renumbers the rest with their classes', () => {
    const maps = blankMaps();
    addPeak(maps.centre, 15, 30, 3); // no mask: only its r = 3 disc
    addPeak(maps.centre, 40, 30, 3); // 18 of its 29 disc pixels backed (x >= 40)
    addPeak(maps.centre, 65, 30, 3); // fully backed
    for (let y = 0; y < H; y++) for (let x = 40; x < 52; x++) if ((x - 40) ** 2 + (y - 30) ** 2 <= 9) maps.mask[y * W + x] = 1;
    fillDisc(maps.mask, 65, 30, 5, 1);
    fillDisc(maps.positive, 65, 30, 2, 0.9);
    const all = run(maps);
    expect(all.count).toBe(3);
    const some = run(maps, { minMaskFraction: 0.5 });
    expect(some.count).toBe(2);
    expect(labelAt(some, 15, 30)).toBe(0);
    expect([labelAt(some, 40, 30), labelAt(some, 65, 30)]).toEqual([1, 2]);
    expect(Array.from(some.positive.subarray(1))).toEqual([0, 1]);
    expect(some.meanDab.length).toBe(3);
    const strict = run(maps, { minMaskFraction: 0.9 });
    expect(strict.count).toBe(1);
    expect(labelAt(strict, 65, 30)).toBe(1);
    expect(strict.labels.filter((l) => l !== 0).length).toBe(all.labels.filter((l) => l === labelAt(all, 65, 30)).length);
  });

  it('merges maxima closer than the minimum centre distance and drops those under the threshold', () => {
    const maps = blankMaps();
    addPeak(maps.centre, 30, 30, 2);
    addPeak(maps.centre, 33, 31, 2, 0.95);
    addPeak(maps.centre, 60, 30, 2, 0.3);
    expect(run(maps).count).toBe(1);
  });

  it('keeps one centre on a flat plateau', () => {
    const maps = blankMaps();
    fillDisc(maps.centre, 40, 30, 2, 0.9); // 13 equal maxima when nothing smooths them
    const seg = run(maps, { centreSigma: 0 });
    expect(seg.count).toBe(1);
    expect(labelAt(seg, 40, 28)).toBe(1); // the first in raster order
  });

  it('reads the class from the positive probability at each centre', () => {
    const maps = blankMaps();
    addPeak(maps.centre, 20, 30, 3);
    addPeak(maps.centre, 60, 30, 3);
    fillDisc(maps.positive, 20, 30, 4, 0.8);
    fillDisc(maps.positive, 60, 30, 4, 0.2);
    const seg = run(maps);
    expect(seg.positive[labelAt(seg, 20, 30)]).toBe(1);
    expect(seg.positive[labelAt(seg, 60, 30)]).toBe(0);
  });

  it('vetoes the net\'s positive call without DAB and calls clearly brown cells positive whatever the net says', () => {
    const maps = blankMaps();
    addPeak(maps.centre, 15, 30, 3);
    addPeak(maps.centre, 40, 30, 3);
    addPeak(maps.centre, 65, 30, 3);
    fillDisc(maps.positive, 15, 30, 4, 0.9); // net: positive, DAB 0.05 -> negative
    fillDisc(maps.positive, 40, 30, 4, 0.9); // net: positive, DAB 0.2 -> positive
    fillDisc(maps.positive, 65, 30, 4, 0.1); // net: negative, DAB 0.5 -> positive
    const dab = new Float32Array(W * H);
    for (let i = 0; i < W * H; i++) dab[i] = i % W < 28 ? 0.05 : i % W < 53 ? 0.2 : 0.5;
    const seg = run(maps, { positiveMinDab: 0.15, positiveDab: 0.3 }, dab);
    expect([15, 40, 65].map((x) => seg.positive[labelAt(seg, x, 30)])).toEqual([0, 1, 1]);
    expect(seg.meanDab[labelAt(seg, 65, 30)]).toBeCloseTo(0.5, 5);
  });

  it('keeps mask pixels only where the nuclear stain reaches minNuclearOd', () => {
    const maps = blankMaps();
    addPeak(maps.centre, 40, 30, 3);
    fillDisc(maps.mask, 40, 30, 12, 1);
    const hematoxylin = new Float32Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if ((x - 40) ** 2 + (y - 30) ** 2 <= 36) hematoxylin[y * W + x] = 0.6;
    const area = (seg: ReturnType<typeof run>): number => seg.labels.reduce((sum, l) => sum + (l ? 1 : 0), 0);
    const loose = run(maps, {}, new Float32Array(W * H), hematoxylin);
    const strict = run(maps, { minNuclearOd: 0.3 }, new Float32Array(W * H), hematoxylin);
    expect(area(loose)).toBeGreaterThan(400); // the whole r = 12 mask disc
    expect(area(strict)).toBeGreaterThan(100);
    expect(area(strict)).toBeLessThan(140); // about the r = 6 stained disc
  });
});

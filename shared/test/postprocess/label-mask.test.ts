import {
  PIXEL_BACKGROUND, PIXEL_NEGATIVE, PIXEL_POSITIVE, PIXEL_UNKNOWN, type ComponentStats, labelComponents, markBackground,
} from '../../src/postprocess/label-mask';

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A random mask of states 1..3 (createPosNegMask never writes background): independent pixels,
 * or blobs and stripes with long stretches (so the 4-pixel word paths and long runs are taken).
 */
function randomMask(rnd: () => number, width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  const unknown = rnd();
  if (rnd() < 0.5) {
    for (let i = 0; i < mask.length; i++) mask[i] = rnd() < unknown ? PIXEL_UNKNOWN : rnd() < 0.5 ? PIXEL_POSITIVE : PIXEL_NEGATIVE;
    return mask;
  }
  mask.fill(PIXEL_UNKNOWN);
  for (let k = Math.floor(rnd() * 12); k > 0; k--) {
    const cx = rnd() * width, cy = rnd() * height, rx = 1 + rnd() * width / 3, ry = 1 + rnd() * height / 3;
    const state = rnd() < 0.5 ? PIXEL_POSITIVE : PIXEL_NEGATIVE;
    const ring = rnd() < 0.4;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
        if (d <= 1 && (!ring || d > 0.4)) mask[y * width + x] = rnd() < 0.1 ? PIXEL_UNKNOWN : state;
      }
    }
  }
  return mask;
}

/** Reference mark_background: breadth-first search of unknown pixels from the border, 4-connected. */
function referenceMarkBackground(mask: Uint8Array, width: number, height: number): void {
  const queue: number[] = [];
  const take = (x: number, y: number): void => {
    const i = y * width + x;
    if (mask[i] === PIXEL_UNKNOWN) {
      mask[i] = PIXEL_BACKGROUND;
      queue.push(i);
    }
  };
  for (let y = 0; y < height; y++) { take(0, y); take(width - 1, y); }
  for (let x = 0; x < width; x++) { take(x, 0); take(x, height - 1); }
  while (queue.length > 0) {
    const i = queue.shift() as number;
    const x = i % width, y = (i - x) / width;
    if (x > 0) take(x - 1, y);
    if (x < width - 1) take(x + 1, y);
    if (y > 0) take(x, y - 1);
    if (y < height - 1) take(x, y + 1);
  }
}

/** Reference compute_cell_mapping: one flood fill per component (8-connected), started in raster order. */
function referenceLabel(mask: Uint8Array, width: number, height: number): { labels: Int32Array; stats: Omit<ComponentStats, 'count'>[] } {
  const labels = new Int32Array(width * height);
  const stats: Omit<ComponentStats, 'count'>[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === PIXEL_BACKGROUND || labels[start] !== 0) continue;
    const id = stats.length + 1;
    const members: number[] = [start];
    labels[start] = id;
    for (let k = 0; k < members.length; k++) {
      const x = members[k] % width, y = (members[k] - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx, ny = y + dy, j = ny * width + nx;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height || mask[j] === PIXEL_BACKGROUND || labels[j] !== 0) continue;
          labels[j] = id;
          members.push(j);
        }
      }
    }
    const xs = members.map((i) => i % width), ys = members.map((i) => Math.floor(i / width));
    const one = (v: number) => Float64Array.of(v), int = (v: number) => Int32Array.of(v);
    stats.push({
      area: one(members.length), firstPixel: one(start),
      positiveVotes: one(members.filter((i) => mask[i] === PIXEL_POSITIVE).length),
      negativeVotes: one(members.filter((i) => mask[i] === PIXEL_NEGATIVE).length),
      sumX: one(xs.reduce((a, b) => a + b, 0)), sumY: one(ys.reduce((a, b) => a + b, 0)),
      minX: int(Math.min(...xs)), minY: int(Math.min(...ys)), maxX: int(Math.max(...xs)), maxY: int(Math.max(...ys)),
    });
  }
  return { labels, stats };
}

/** labelComponents' statistics of component c in the reference's one-component shape. */
function statsOf(stats: ComponentStats, c: number): Omit<ComponentStats, 'count'> {
  const keys = ['area', 'firstPixel', 'positiveVotes', 'negativeVotes', 'sumX', 'sumY', 'minX', 'minY', 'maxX', 'maxY'] as const;
  return Object.fromEntries(keys.map((k) => [k, stats[k].slice(c, c + 1)])) as unknown as Omit<ComponentStats, 'count'>;
}

/** A mask of `length` bytes starting `offset` bytes into its buffer (offset 1: the word paths are off). */
function maskAt(values: Uint8Array, offset: number): Uint8Array {
  const mask = new Uint8Array(new ArrayBuffer(values.length + offset), offset, values.length);
  mask.set(values);
  return mask;
}

describe('markBackground and labelComponents against straightforward flood fills', () => {
  it('give identical masks, labels and statistics on random masks of every shape', () => {
    const rnd = random(2024);
    for (let trial = 0; trial < 400; trial++) {
      const width = 1 + Math.floor(rnd() * (trial % 3 === 0 ? 70 : 17)), height = 1 + Math.floor(rnd() * 40);
      const values = randomMask(rnd, width, height);
      const expectedMask = values.slice();
      referenceMarkBackground(expectedMask, width, height);
      const expected = referenceLabel(expectedMask, width, height);
      const mask = maskAt(values, trial % 2);
      // The label buffer doubles as the fill's stack and starts with anything in it.
      const labels = new Int32Array(width * height).fill(-5);
      markBackground(mask, width, height, labels);
      expect(mask).toEqual(expectedMask);
      labels.fill(trial);
      const runs: number[][] = [];
      const stats = labelComponents(mask, width, labels, (id, start, end) => runs.push([id, start, end]));
      expect(labels).toEqual(expected.labels);
      expect(stats.count).toBe(expected.stats.length);
      for (let c = 1; c <= stats.count; c++) expect(statsOf(stats, c)).toEqual(expected.stats[c - 1]);
      // Without the label map: the same statistics and runs (each run's pixels carry its label).
      const unfilled: number[][] = [];
      const again = labelComponents(mask, width, new Int32Array(width * height).fill(-3), (id, start, end) => unfilled.push([id, start, end]), false);
      expect(again).toEqual(stats);
      expect(unfilled).toEqual(runs);
      for (const [id, start, end] of runs) for (let i = start; i < end; i++) expect(expected.labels[i]).toBe(id);
    }
  });

  it('fill a fully unknown image and a comb of one-pixel gaps within a one-slot-a-pixel stack', () => {
    for (const [width, height] of [[1, 1], [7, 5], [64, 33]]) {
      const all = new Uint8Array(width * height).fill(PIXEL_UNKNOWN);
      markBackground(all, width, height, new Int32Array(width * height));
      expect(all.every((v) => v === PIXEL_BACKGROUND)).toBe(true);
    }
    // Columns of cells with unknown gaps open only at the bottom: every gap is reached from below.
    const width = 41, height = 30;
    const comb = new Uint8Array(width * height).map((_, i) => (i % width) % 2 === 1 && Math.floor(i / width) < height - 1 ? PIXEL_POSITIVE : PIXEL_UNKNOWN);
    const expected = comb.slice();
    referenceMarkBackground(expected, width, height);
    markBackground(comb, width, height, new Int32Array(width * height));
    expect(comb).toEqual(expected);
  });

  it('keeps enclosed unknown pixels (holes) and labels them with the cell around them', () => {
    const width = 9, height = 7;
    const mask = new Uint8Array(width * height).fill(PIXEL_UNKNOWN);
    for (let y = 1; y <= 5; y++) for (let x = 1; x <= 5; x++) if (y === 1 || y === 5 || x === 1 || x === 5) mask[y * width + x] = PIXEL_NEGATIVE;
    mask[3 * width + 7] = PIXEL_POSITIVE;
    const labels = new Int32Array(width * height);
    markBackground(mask, width, height, labels);
    expect(mask[3 * width + 3]).toBe(PIXEL_UNKNOWN);
    const stats = labelComponents(mask, width, labels);
    expect(stats.count).toBe(2);
    expect(labels[3 * width + 3]).toBe(1);
    expect(Array.from(stats.area.subarray(1, 3))).toEqual([25, 1]);
    expect(Array.from(stats.negativeVotes.subarray(1, 3))).toEqual([16, 0]);
  });

  it('joins diagonal neighbours and merges U shapes whose arms meet later (union of provisional labels)', () => {
    const rows = ['1.1.1', '.1.1.', '1...1', '1.1.1', '11111'];
    const width = 5;
    const mask = Uint8Array.from(rows.join(''), (ch) => (ch === '1' ? PIXEL_POSITIVE : PIXEL_BACKGROUND));
    const labels = new Int32Array(mask.length);
    const stats = labelComponents(mask, width, labels);
    expect(stats.count).toBe(1);
    expect(stats.area[1]).toBe(15);
  });

  it('reports every run once, in raster order, with its final component number', () => {
    const rnd = random(7);
    for (let trial = 0; trial < 60; trial++) {
      const width = 1 + Math.floor(rnd() * 30), height = 1 + Math.floor(rnd() * 20);
      const mask = randomMask(rnd, width, height);
      const labels = new Int32Array(width * height);
      markBackground(mask, width, height, labels);
      const runs: number[][] = [];
      labelComponents(mask, width, labels, (id, start, end) => runs.push([id, start, end]));
      const seen = new Int32Array(width * height);
      let last = -1;
      for (const [id, start, end] of runs) {
        expect(start).toBeGreaterThanOrEqual(last);
        expect(end).toBeGreaterThan(start);
        expect(Math.floor(start / width)).toBe(Math.floor((end - 1) / width));
        for (let i = start; i < end; i++) seen[i] = id;
        last = end;
      }
      expect(seen).toEqual(labels);
    }
  });
});

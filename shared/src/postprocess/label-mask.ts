import * as states from './mask-states';

export { PIXEL_BACKGROUND, PIXEL_NEGATIVE, PIXEL_POSITIVE, PIXEL_UNKNOWN } from './mask-states';
export { floodBackground, markBackground } from './mark-background';

// Module-local copies: a CommonJS build (jest, tsx) reads imports through getters, too slow per pixel.
const PIXEL_BACKGROUND = states.PIXEL_BACKGROUND;
const PIXEL_UNKNOWN = states.PIXEL_UNKNOWN;
const PIXEL_POSITIVE = states.PIXEL_POSITIVE;
const PIXEL_NEGATIVE = states.PIXEL_NEGATIVE;
const { maskWords, skipBackground } = states;

/**
 * create_posneg_mask: a pixel votes positive when R + B > segThresh, G <= greenThresh and
 * R >= B; negative when R < B; otherwise it is unknown (boundary, background or hole).
 */
export function createPosNegMask(rgb: Uint8Array, channels: number, pixels: number, segThresh: number, greenThresh: number): Uint8Array {
  const mask = new Uint8Array(pixels);
  for (let i = 0, p = 0; i < pixels; i++, p += channels) {
    const r = rgb[p];
    const b = rgb[p + 2];
    mask[i] = r + b > segThresh && rgb[p + 1] <= greenThresh ? (r >= b ? PIXEL_POSITIVE : PIXEL_NEGATIVE) : PIXEL_UNKNOWN;
  }
  return mask;
}

/** Union-find over provisional labels; roots are always the smaller label, so parent[k] <= k. */
class Equivalences {
  parent = new Int32Array(4096);
  size = 0;

  add(): number {
    if (++this.size >= this.parent.length) {
      const bigger = new Int32Array(this.parent.length * 2);
      bigger.set(this.parent);
      this.parent = bigger;
    }
    this.parent[this.size] = this.size;
    return this.size;
  }

  find(k: number): number {
    const p = this.parent;
    while (p[k] !== k) {
      p[k] = p[p[k]];
      k = p[k];
    }
    return k;
  }

  union(a: number, b: number): number {
    const ra = this.find(a), rb = this.find(b);
    if (ra < rb) {
      this.parent[rb] = ra;
      return ra;
    }
    this.parent[ra] = rb;
    return rb;
  }

  /** Point every label at its root in one forward pass (valid because parent[k] <= k). */
  flatten(): Int32Array {
    const p = this.parent;
    for (let k = 1; k <= this.size; k++) p[k] = p[p[k]];
    return p;
  }
}

/** Per-component sums gathered in one pass (index 0 unused; components are 1-based). */
export interface ComponentStats {
  count: number;
  area: Float64Array;
  positiveVotes: Float64Array;
  negativeVotes: Float64Array;
  sumX: Float64Array;
  sumY: Float64Array;
  firstPixel: Float64Array;
  minX: Int32Array;
  minY: Int32Array;
  maxX: Int32Array;
  maxY: Int32Array;
}

function createStats(capacity: number): ComponentStats {
  return {
    count: 0,
    area: new Float64Array(capacity),
    positiveVotes: new Float64Array(capacity),
    negativeVotes: new Float64Array(capacity),
    sumX: new Float64Array(capacity),
    sumY: new Float64Array(capacity),
    firstPixel: new Float64Array(capacity),
    minX: new Int32Array(capacity),
    minY: new Int32Array(capacity),
    maxX: new Int32Array(capacity),
    maxY: new Int32Array(capacity),
  };
}

/** Called for each run of a component's pixels, [start, end) in one row, in raster order. */
export type RunVisitor = (id: number, start: number, end: number) => void;

/**
 * compute_cell_mapping: 8-connected components of non-background pixels, numbered 1.. in raster
 * order of their first pixel, written into `labels` (every pixel: 0 for background); votes count
 * positive/negative pixels. Two passes over runs (row stretches of non-background pixels): the
 * first joins each run to the runs it touches in the row above (overlapping or diagonal), noting
 * its provisional label at its first pixel; the second numbers the components and sums their
 * statistics per run, so background costs one byte test a pixel. `visit` (optional) sees every
 * run with its final component number once its labels are written. `fillLabels` false: a caller
 * that needs no label map (it sees the runs) gets `labels` as scratch, not the map, and the
 * 4-byte-a-pixel writes of the map are saved.
 */
export function labelComponents(mask: Uint8Array, width: number, labels: Int32Array, visit?: RunVisitor, fillLabels = true): ComponentStats {
  const height = mask.length / width;
  const eq = new Equivalences();
  // Runs of the previous and the current row: first x, last x, provisional label (at most width / 2 + 1 a row).
  const slots = (width >> 1) + 1;
  const words = maskWords(mask);
  let prevStart = new Int32Array(slots), prevEnd = new Int32Array(slots), prevLabel = new Int32Array(slots);
  let curStart = new Int32Array(slots), curEnd = new Int32Array(slots), curLabel = new Int32Array(slots);
  let prevCount = 0;
  for (let y = 0, row = 0; y < height; y++, row += width) {
    let count = 0, p = 0, x = 0;
    for (;;) {
      x = skipBackground(mask, words, row + x, row + width) - row;
      if (x === width) break;
      const s = x;
      while (x < width && mask[row + x] !== PIXEL_BACKGROUND) x++;
      const e = x - 1;
      // Runs above are sorted and disjoint: skip those ending left of s - 1, join those starting by e + 1.
      while (p < prevCount && prevEnd[p] < s - 1) p++;
      let l = 0;
      for (let q = p; q < prevCount && prevStart[q] <= e + 1; q++) {
        const k = prevLabel[q];
        l = l === 0 ? k : l === k ? l : eq.union(l, k);
      }
      if (l === 0) l = eq.add();
      curStart[count] = s;
      curEnd[count] = e;
      curLabel[count++] = l;
      labels[row + s] = l;
    }
    const start = prevStart, end = prevEnd, label = prevLabel;
    prevStart = curStart; prevEnd = curEnd; prevLabel = curLabel;
    curStart = start; curEnd = end; curLabel = label;
    prevCount = count;
  }
  const root = eq.flatten();
  let components = 0;
  for (let k = 1; k <= eq.size; k++) if (root[k] === k) components++;
  const stats = createStats(components + 1);
  const finalId = new Int32Array(eq.size + 1);
  for (let y = 0, row = 0; y < height; y++, row += width) {
    let x = 0;
    for (;;) {
      const gap = x;
      x = skipBackground(mask, words, row + x, row + width) - row;
      if (x > gap && fillLabels) labels.fill(0, row + gap, row + x);
      if (x === width) break;
      const s = x;
      const r = root[labels[row + s]];
      let id = finalId[r];
      if (id === 0) {
        id = finalId[r] = ++stats.count;
        stats.firstPixel[id] = row + s;
        stats.minX[id] = s;
        stats.minY[id] = y;
        stats.maxX[id] = s;
      }
      let positive = 0, negative = 0;
      for (let state = mask[row + x]; state !== PIXEL_BACKGROUND; state = ++x < width ? mask[row + x] : PIXEL_BACKGROUND) {
        if (state === PIXEL_POSITIVE) positive++;
        else if (state === PIXEL_NEGATIVE) negative++;
      }
      const length = x - s;
      if (fillLabels) labels.fill(id, row + s, row + x);
      stats.area[id] += length;
      stats.sumX[id] += ((s + x - 1) * length) / 2;
      stats.sumY[id] += y * length;
      stats.positiveVotes[id] += positive;
      stats.negativeVotes[id] += negative;
      if (s < stats.minX[id]) stats.minX[id] = s;
      if (x - 1 > stats.maxX[id]) stats.maxX[id] = x - 1;
      stats.maxY[id] = y;
      if (visit) visit(id, row + s, row + x);
    }
  }
  return stats;
}

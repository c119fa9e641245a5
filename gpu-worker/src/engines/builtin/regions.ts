import { scratch } from './scratch';

const runRowStart = scratch(Int32Array);
const runBegin = scratch(Int32Array);
const runEnd = scratch(Int32Array);
const runParent = scratch(Int32Array);
const runArea = scratch(Int32Array);
const runFlag = scratch(Uint8Array);
const runLabel = scratch(Int32Array);
const runValue = scratch(Int32Array);

/**
 * Maximal horizontal runs of pixels, in raster order, joined into connected components by
 * union-find. Each component's root is its first run, so roots in run order are components in
 * raster order of their first pixel. Run r covers [begin[r], end[r]) of row y, rowStart[y] <= r <
 * rowStart[y + 1]; parent[r] is the root of r's component (parent[r] = r for a root). Arrays are
 * scratch: read them before the next call.
 */
interface Runs {
  readonly count: number;
  readonly rowStart: Int32Array;
  readonly begin: Int32Array;
  readonly end: Int32Array;
  readonly parent: Int32Array;
}

/** Scratch for runs: one slot per pixel covers any plane (a run per pixel at worst). */
function runStorage(width: number, height: number): { rowStart: Int32Array; begin: Int32Array; end: Int32Array; parent: Int32Array } {
  const n = width * height;
  return { rowStart: runRowStart(height + 1), begin: runBegin(n), end: runEnd(n), parent: runParent(n) };
}

/**
 * Runs of a mask where it is set (or, with `invert`, not set) and their components (4- or
 * 8-connected): a few runs per row stand for the pixels, so only one sequential scan touches
 * every pixel, and linking compares runs of neighbouring rows instead of flooding pixel by pixel.
 */
function maskRuns(mask: Uint8Array, width: number, height: number, connectivity: 4 | 8, invert: boolean): Runs {
  const { rowStart, begin, end, parent } = runStorage(width, height);
  const reach = connectivity === 8 ? 1 : 0;
  let count = 0;
  for (let y = 0; y < height; y++) {
    rowStart[y] = count;
    const row = y * width;
    let x = 0;
    while (x < width) {
      while (x < width && (mask[row + x] !== 0) === invert) x++;
      if (x === width) break;
      const from = x;
      while (x < width && (mask[row + x] !== 0) !== invert) x++;
      begin[count] = from;
      end[count] = x;
      parent[count] = count;
      count++;
    }
    if (y > 0) linkToRowAbove(rowStart[y - 1], rowStart[y], count, begin, end, parent, reach, null);
  }
  rowStart[height] = count;
  return flattened({ count, rowStart, begin, end, parent });
}

/** Runs of equal non-zero label and their 8-connected components (pieces of one label). */
function labelRuns(labels: Int32Array, width: number, height: number): Runs {
  const { rowStart, begin, end, parent } = runStorage(width, height);
  const value = runValue(width * height);
  let count = 0;
  for (let y = 0; y < height; y++) {
    rowStart[y] = count;
    const row = y * width;
    let x = 0;
    while (x < width) {
      const l = labels[row + x];
      if (!l) {
        x++;
        continue;
      }
      const from = x;
      while (x < width && labels[row + x] === l) x++;
      begin[count] = from;
      end[count] = x;
      parent[count] = count;
      value[count] = l;
      count++;
    }
    if (y > 0) linkToRowAbove(rowStart[y - 1], rowStart[y], count, begin, end, parent, 1, value);
  }
  rowStart[height] = count;
  return flattened({ count, rowStart, begin, end, parent });
}

/**
 * Union each run of one row, runs [from, count), with the runs of the row above, [above, from),
 * that it touches (reach 1: across a corner too) and, given `value`, that carry its value. Runs of
 * both rows are sorted, so one merge-like sweep finds every touching pair.
 */
function linkToRowAbove(above: number, from: number, count: number, begin: Int32Array, end: Int32Array, parent: Int32Array, reach: number, value: Int32Array | null): void {
  let j = above;
  for (let r = from; r < count; r++) {
    while (j < from && end[j] + reach <= begin[r]) j++;
    for (let k = j; k < from && begin[k] < end[r] + reach; k++) {
      if (!value || value[k] === value[r]) union(parent, r, k);
    }
  }
}

/** Root of run r (path halving). */
function find(parent: Int32Array, r: number): number {
  while (parent[r] !== r) {
    const up = parent[parent[r]];
    parent[r] = up;
    r = up;
  }
  return r;
}

/** Join the components of runs a and b under the smaller root (the earlier run). */
function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}

/** The runs with every run pointing straight at its root (roots come first in run order, so one pass suffices). */
function flattened(runs: Runs): Runs {
  const { count, parent } = runs;
  for (let r = 0; r < count; r++) parent[r] = parent[parent[r]];
  return runs;
}

/**
 * Numbers for the components of at least minArea px, after `last` in run order of their roots
 * (raster order of their first pixels); 0 for smaller ones. Indexed by root run; returns the last
 * number given.
 */
function numberRoots(runs: Runs, minArea: number, last: number, id: Int32Array): number {
  const { count, parent } = runs;
  const area = minArea > 1 ? rootAreas(runs) : null;
  for (let r = 0; r < count; r++) if (parent[r] === r) id[r] = !area || area[r] >= minArea ? ++last : 0;
  return last;
}

/** Pixel count of each component, indexed by its root run (other entries unused). */
function rootAreas(runs: Runs): Int32Array {
  const { count, begin, end, parent } = runs;
  const area = runArea(begin.length);
  for (let r = 0; r < count; r++) area[r] = 0;
  for (let r = 0; r < count; r++) area[parent[r]] += end[r] - begin[r];
  return area;
}

/** Visit every run as the root of its component and its pixel span [start, stop) in the plane. */
function forEachRun(runs: Runs, width: number, height: number, visit: (root: number, start: number, stop: number) => void): void {
  const { rowStart, begin, end, parent } = runs;
  for (let y = 0, row = 0; y < height; y++, row += width) {
    for (let r = rowStart[y]; r < rowStart[y + 1]; r++) visit(parent[r], row + begin[r], row + end[r]);
  }
}

/**
 * Connected components of mask pixels (non-zero), labelled 1..count in raster order of their
 * first pixel; `connectivity` 4 or 8. Labels go into `into` when given (every pixel written),
 * else a new plane.
 */
export function labelComponents(mask: Uint8Array, width: number, height: number, connectivity: 4 | 8 = 8, into?: Int32Array): { labels: Int32Array; count: number } {
  const runs = maskRuns(mask, width, height, connectivity, false);
  const label = runLabel(runs.begin.length);
  const count = numberRoots(runs, 0, 0, label);
  const labels = into ?? new Int32Array(width * height);
  if (into) labels.fill(0);
  forEachRun(runs, width, height, (root, start, stop) => labels.fill(label[root], start, stop));
  return { labels, count };
}

/**
 * Fill holes of a binary mask in place: background regions (4-connected) that do not touch the
 * image edge and are at most maxHoleArea pixels become foreground (pale nuclear centres).
 */
export function fillHoles(mask: Uint8Array, width: number, height: number, maxHoleArea: number): void {
  const runs = maskRuns(mask, width, height, 4, true);
  const area = rootAreas(runs);
  // Background touching the image edge is never a hole.
  const edge = runFlag(runs.begin.length);
  for (let r = 0; r < runs.count; r++) edge[r] = 0;
  const lastRow = (height - 1) * width;
  forEachRun(runs, width, height, (root, start, stop) => {
    if (start < width || start >= lastRow || start % width === 0 || stop % width === 0) edge[root] = 1;
  });
  forEachRun(runs, width, height, (root, start, stop) => {
    if (!edge[root] && area[root] <= maxHoleArea) mask.fill(1, start, stop);
  });
}

/**
 * Relabel the 8-connected pieces of equal label as separate labels 1..kept, in raster order of
 * their first pixel, dropping pieces under minArea px; returns kept.
 */
export function splitLabelPieces(labels: Int32Array, width: number, height: number, minArea: number): number {
  const runs = labelRuns(labels, width, height);
  const id = runLabel(runs.begin.length);
  const kept = numberRoots(runs, minArea, 0, id);
  forEachRun(runs, width, height, (root, start, stop) => labels.fill(id[root], start, stop));
  return kept;
}

/**
 * Number the 8-connected components of `mask` of at least minArea px after `last` (last + 1, ...
 * in raster order of their first pixels) and give each component's number to its pixels whose
 * label is 0; returns the last number given.
 */
export function appendComponents(mask: Uint8Array, width: number, height: number, minArea: number, labels: Int32Array, last: number): number {
  const runs = maskRuns(mask, width, height, 8, false);
  const id = runLabel(runs.begin.length);
  const numbered = numberRoots(runs, minArea, last, id);
  forEachRun(runs, width, height, (root, start, stop) => {
    const l = id[root];
    if (l) for (let i = start; i < stop; i++) if (!labels[i]) labels[i] = l;
  });
  return numbered;
}

/** Clear, in place, the 8-connected components of a mask smaller than minArea pixels. */
export function removeSmallComponents(mask: Uint8Array, width: number, height: number, minArea: number): void {
  const runs = maskRuns(mask, width, height, 8, false);
  const area = rootAreas(runs);
  forEachRun(runs, width, height, (root, start, stop) => {
    if (area[root] < minArea) mask.fill(0, start, stop);
  });
}

/** Pixel count of each label 0..count (index 0: background). */
export function labelAreas(labels: Int32Array, count: number): Int32Array {
  const area = new Int32Array(count + 1);
  for (let i = 0; i < labels.length; i++) area[labels[i]]++;
  return area;
}

/** Renumber labels 1..kept in raster order, dropping those where keep[label] is 0. */
export function relabel(labels: Int32Array, count: number, keep: Uint8Array): number {
  const map = new Int32Array(count + 1);
  let next = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!l) continue;
    if (!keep[l]) {
      labels[i] = 0;
      continue;
    }
    if (!map[l]) map[l] = ++next;
    labels[i] = map[l];
  }
  return next;
}

import { scratch } from './scratch';

const labelFrame = scratch(Uint8Array);
const labelFramed = scratch(Int32Array);
const labelQueue = scratch(Int32Array);
const holeFrame = scratch(Uint8Array);
const holeQueue = scratch(Int32Array);

/** Neighbour offsets (dx, dy) of 8-connectivity; the first four are the 4-neighbours. */
export const NEIGHBOURS_8 = [1, 0, -1, 0, 0, 1, 0, -1, 1, 1, -1, -1, 1, -1, -1, 1] as const;

/**
 * Connected components of mask pixels (non-zero), labelled 1..count in raster order of their
 * first pixel; `connectivity` 4 or 8. Flooding runs on a copy framed by a one-pixel empty
 * border, so neighbours need no bounds checks; scratch is typed arrays, no per-pixel objects.
 * Labels go into `into` when given (every pixel written), else a new plane.
 */
export function labelComponents(mask: Uint8Array, width: number, height: number, connectivity: 4 | 8 = 8, into?: Int32Array): { labels: Int32Array; count: number } {
  const stride = width + 2;
  // open[p] = 1: an unlabelled mask pixel of the framed copy.
  const open = framedMask(mask, width, height, 1, false, labelFrame(stride * (height + 2)));
  const framedLabels = labelFramed(stride * (height + 2)).fill(0);
  const queue = labelQueue(width * height);
  const eight = connectivity === 8;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let start = (y + 1) * stride + 1, end = start + width; start < end; start++) {
      if (!open[start]) continue;
      count++;
      open[start] = 0;
      framedLabels[start] = count;
      let head = 0;
      let tail = 0;
      queue[tail++] = start;
      while (head < tail) {
        const p = queue[head++];
        // Same neighbour order as NEIGHBOURS_8.
        let q = p + 1;
        if (open[q]) { open[q] = 0; framedLabels[q] = count; queue[tail++] = q; }
        q = p - 1;
        if (open[q]) { open[q] = 0; framedLabels[q] = count; queue[tail++] = q; }
        q = p + stride;
        if (open[q]) { open[q] = 0; framedLabels[q] = count; queue[tail++] = q; }
        q = p - stride;
        if (open[q]) { open[q] = 0; framedLabels[q] = count; queue[tail++] = q; }
        if (!eight) continue;
        q = p + stride + 1;
        if (open[q]) { open[q] = 0; framedLabels[q] = count; queue[tail++] = q; }
        q = p - stride - 1;
        if (open[q]) { open[q] = 0; framedLabels[q] = count; queue[tail++] = q; }
        q = p - stride + 1;
        if (open[q]) { open[q] = 0; framedLabels[q] = count; queue[tail++] = q; }
        q = p + stride - 1;
        if (open[q]) { open[q] = 0; framedLabels[q] = count; queue[tail++] = q; }
      }
    }
  }
  const labels = into ?? new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y + 1) * stride + 1;
    labels.set(framedLabels.subarray(from, from + width), y * width);
  }
  return { labels, count };
}

/** Copy of mask framed by a one-pixel border of 0: value where mask is non-zero, else 0 (or 1 - value with invert). */
function framedMask(mask: Uint8Array, width: number, height: number, value: number, invert: boolean, out: Uint8Array): Uint8Array {
  const stride = width + 2;
  out.fill(0);
  const on = invert ? 0 : value;
  const off = invert ? value : 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width, o = (y + 1) * stride + 1; x < width; x++, i++, o++) out[o] = mask[i] ? on : off;
  }
  return out;
}

/**
 * Fill holes of a binary mask in place: background regions (4-connected) that do not touch the
 * image edge and are at most maxHoleArea pixels become foreground (pale nuclear centres).
 */
export function fillHoles(mask: Uint8Array, width: number, height: number, maxHoleArea: number): void {
  const stride = width + 2;
  // open[p] = 1: a background pixel not yet flooded (framed copy; the frame is closed).
  const open = framedMask(mask, width, height, 1, true, holeFrame(stride * (height + 2)));
  const queue = holeQueue(width * height);
  let tail = 0;
  // Background touching the image edge is never a hole: flood it first.
  const seed = (p: number): void => {
    if (open[p]) { open[p] = 0; queue[tail++] = p; }
  };
  for (let x = 1; x <= width; x++) {
    seed(stride + x);
    seed(height * stride + x);
  }
  for (let y = 1; y <= height; y++) {
    seed(y * stride + 1);
    seed(y * stride + width);
  }
  floodFour(open, queue, 0, tail, stride);
  for (let y = 0; y < height; y++) {
    for (let start = (y + 1) * stride + 1, end = start + width; start < end; start++) {
      if (!open[start]) continue;
      open[start] = 0;
      queue[0] = start;
      const area = floodFour(open, queue, 0, 1, stride);
      if (area > maxHoleArea) continue;
      for (let k = 0; k < area; k++) {
        const p = queue[k];
        const py = ((p / stride) | 0) - 1;
        mask[py * width + (p - (py + 1) * stride - 1)] = 1;
      }
    }
  }
}

/** 4-connected flood of open pixels from queue[head .. tail), closing them; returns the final tail. */
function floodFour(open: Uint8Array, queue: Int32Array, head: number, tail: number, stride: number): number {
  while (head < tail) {
    const p = queue[head++];
    let q = p + 1;
    if (open[q]) { open[q] = 0; queue[tail++] = q; }
    q = p - 1;
    if (open[q]) { open[q] = 0; queue[tail++] = q; }
    q = p + stride;
    if (open[q]) { open[q] = 0; queue[tail++] = q; }
    q = p - stride;
    if (open[q]) { open[q] = 0; queue[tail++] = q; }
  }
  return tail;
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

import { roundNonNegative } from '@restain/shared';
import { scratch } from './scratch';

const nextScratch = scratch(Int32Array);
const openScratch = scratch(Int32Array);
const floodQueueScratch = scratch(Int32Array);

/**
 * Marker-controlled watershed (flooding from seeds, Meyer 1991) on a cost image restricted to
 * `mask`: every mask pixel reachable from a seed gets the label of the seed whose flood reaches
 * it first when flooding in order of increasing cost. Costs are quantised to `levels` buckets of
 * a hierarchical queue (O(N)); labels must hold the seeds (>0) and zeros elsewhere, and is
 * filled in place. 4-connected flooding keeps boundaries between touching nuclei compact.
 */
export function watershedFromSeeds(
  cost: Float32Array,
  labels: Int32Array,
  mask: Uint8Array,
  width: number,
  height: number,
  levels = 1024,
): void {
  const n = width * height;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    if (cost[i] < lo) lo = cost[i];
    if (cost[i] > hi) hi = cost[i];
  }
  if (!(hi >= lo)) return;
  const scale = hi > lo ? (levels - 1) / (hi - lo) : 0;
  const head = new Int32Array(levels).fill(-1);
  const tail = new Int32Array(levels).fill(-1);
  // next[] is only read for queued pixels, each of which sets it when pushed.
  const next = nextScratch(n);
  // Quantised cost of each mask pixel not yet queued, else -1: the flood reads one plane, in
  // order, rather than a flag and then the cost of each neighbour it takes.
  const open = openScratch(n);
  // Each level is a FIFO linked through next[]; pushes are inlined (hot path).
  for (let p = 0; p < n; p++) {
    if (labels[p] > 0) {
      open[p] = -1;
      const level = Math.round((cost[p] - lo) * scale);
      if (tail[level] < 0) head[level] = p;
      else next[tail[level]] = p;
      tail[level] = p;
      next[p] = -1;
    } else {
      open[p] = mask[p] ? roundNonNegative((cost[p] - lo) * scale) : -1;
    }
  }
  const lastRow = n - width;
  for (let level = 0; level < levels; level++) {
    let p = head[level];
    while (p >= 0) {
      const x = p % width;
      const label = labels[p];
      // 4-neighbours in the order right, left, down, up. A pixel below the current level is
      // flooded now (plateaus and descents inherit the flood).
      if (x !== width - 1 && open[p + 1] >= 0) {
        const q = p + 1;
        const at = open[q] > level ? open[q] : level;
        open[q] = -1;
        labels[q] = label;
        if (tail[at] < 0) head[at] = q;
        else next[tail[at]] = q;
        tail[at] = q;
        next[q] = -1;
      }
      if (x !== 0 && open[p - 1] >= 0) {
        const q = p - 1;
        const at = open[q] > level ? open[q] : level;
        open[q] = -1;
        labels[q] = label;
        if (tail[at] < 0) head[at] = q;
        else next[tail[at]] = q;
        tail[at] = q;
        next[q] = -1;
      }
      if (p < lastRow && open[p + width] >= 0) {
        const q = p + width;
        const at = open[q] > level ? open[q] : level;
        open[q] = -1;
        labels[q] = label;
        if (tail[at] < 0) head[at] = q;
        else next[tail[at]] = q;
        tail[at] = q;
        next[q] = -1;
      }
      if (p >= width && open[p - width] >= 0) {
        const q = p - width;
        const at = open[q] > level ? open[q] : level;
        open[q] = -1;
        labels[q] = label;
        if (tail[at] < 0) head[at] = q;
        else next[tail[at]] = q;
        tail[at] = q;
        next[q] = -1;
      }
      p = next[p];
    }
  }
}

/**
 * watershedFromSeeds on a flat cost: every mask pixel reachable from a seed takes the label of
 * the seed whose 4-connected breadth-first flood reaches it first (seeds in raster order). Only
 * seeds next to an unlabelled mask pixel enter the queue: the others would push nothing, so
 * leaving them out changes no pixel's label, and a mostly labelled mask costs one scan.
 */
export function floodFromSeeds(labels: Int32Array, mask: Uint8Array, width: number, height: number): void {
  const n = width * height;
  const queue = floodQueueScratch(n);
  const lastRow = n - width;
  let tail = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0, p = y * width; x < width; x++, p++) {
      if (labels[p] <= 0) continue;
      if ((x !== width - 1 && mask[p + 1] && labels[p + 1] <= 0) || (x !== 0 && mask[p - 1] && labels[p - 1] <= 0) ||
        (p < lastRow && mask[p + width] && labels[p + width] <= 0) || (p >= width && mask[p - width] && labels[p - width] <= 0)) {
        queue[tail++] = p;
      }
    }
  }
  // A flooded pixel is labelled (> 0) at once, which also marks it as queued.
  for (let head = 0; head < tail; head++) {
    const p = queue[head];
    const x = p % width;
    const label = labels[p];
    let q = p + 1;
    if (x !== width - 1 && mask[q] && labels[q] <= 0) { labels[q] = label; queue[tail++] = q; }
    q = p - 1;
    if (x !== 0 && mask[q] && labels[q] <= 0) { labels[q] = label; queue[tail++] = q; }
    q = p + width;
    if (p < lastRow && mask[q] && labels[q] <= 0) { labels[q] = label; queue[tail++] = q; }
    q = p - width;
    if (p >= width && mask[q] && labels[q] <= 0) { labels[q] = label; queue[tail++] = q; }
  }
}

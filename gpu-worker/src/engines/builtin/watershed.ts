import { scratch } from './scratch';

const nextScratch = scratch(Int32Array);
const queuedScratch = scratch(Uint8Array);

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
  const queued = queuedScratch(n).fill(0);
  // Each level is a FIFO linked through next[]; pushes are inlined (hot path).
  for (let p = 0; p < n; p++) {
    if (labels[p] > 0) {
      queued[p] = 1;
      const level = Math.round((cost[p] - lo) * scale);
      if (tail[level] < 0) head[level] = p;
      else next[tail[level]] = p;
      tail[level] = p;
      next[p] = -1;
    }
  }
  const lastRow = n - width;
  for (let level = 0; level < levels; level++) {
    while (head[level] >= 0) {
      const p = head[level];
      head[level] = next[p];
      if (head[level] < 0) tail[level] = -1;
      const x = p % width;
      const label = labels[p];
      // 4-neighbours in NEIGHBOURS_8 order: right, left, down, up. A pixel below the current
      // level is flooded now (plateaus and descents inherit the flood).
      if (x !== width - 1) {
        const q = p + 1;
        if (mask[q] && !queued[q]) {
          queued[q] = 1;
          labels[q] = label;
          const qLevel = Math.round((cost[q] - lo) * scale);
          const at = qLevel > level ? qLevel : level;
          if (tail[at] < 0) head[at] = q;
          else next[tail[at]] = q;
          tail[at] = q;
          next[q] = -1;
        }
      }
      if (x !== 0) {
        const q = p - 1;
        if (mask[q] && !queued[q]) {
          queued[q] = 1;
          labels[q] = label;
          const qLevel = Math.round((cost[q] - lo) * scale);
          const at = qLevel > level ? qLevel : level;
          if (tail[at] < 0) head[at] = q;
          else next[tail[at]] = q;
          tail[at] = q;
          next[q] = -1;
        }
      }
      if (p < lastRow) {
        const q = p + width;
        if (mask[q] && !queued[q]) {
          queued[q] = 1;
          labels[q] = label;
          const qLevel = Math.round((cost[q] - lo) * scale);
          const at = qLevel > level ? qLevel : level;
          if (tail[at] < 0) head[at] = q;
          else next[tail[at]] = q;
          tail[at] = q;
          next[q] = -1;
        }
      }
      if (p >= width) {
        const q = p - width;
        if (mask[q] && !queued[q]) {
          queued[q] = 1;
          labels[q] = label;
          const qLevel = Math.round((cost[q] - lo) * scale);
          const at = qLevel > level ? qLevel : level;
          if (tail[at] < 0) head[at] = q;
          else next[tail[at]] = q;
          tail[at] = q;
          next[q] = -1;
        }
      }
    }
  }
}

import { scratch } from './scratch';

const topScratch = scratch(Float32Array);
const recScratch = scratch(Float32Array);
const queueScratch = scratch(Int32Array);
const queuedScratch = scratch(Uint8Array);

/**
 * Markers of the h-maxima of f (domes at least h high, Soille 2003): reconstruction by dilation
 * of f - h under f (Vincent's hybrid raster + FIFO algorithm, 8-connected); a pixel is a marker
 * where f - reconstruction reaches h. Pixels where `mask` is 0 are never markers. Writes into
 * `out` when given (every pixel), else a new plane.
 */
export function hMaximaMarkers(f: Float32Array, mask: Uint8Array, width: number, height: number, h: number, out?: Uint8Array): Uint8Array {
  const n = width * height;
  // Outside the mask both the image and the reconstruction sit at -Infinity (never raised).
  const top = topScratch(n);
  const rec = recScratch(n);
  const w = width;
  // Forward scan, which also fills both planes: its causal neighbours (left, up-left, up,
  // up-right) come earlier in raster order, so they are set when read.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (!mask[p]) {
        top[p] = rec[p] = -Infinity;
        continue;
      }
      const t = f[p];
      top[p] = t;
      let m = Math.fround(t - h);
      if (x > 0 && rec[p - 1] > m) m = rec[p - 1];
      if (y > 0) {
        const u = p - w;
        if (rec[u] > m) m = rec[u];
        if (x > 0 && rec[u - 1] > m) m = rec[u - 1];
        if (x < w - 1 && rec[u + 1] > m) m = rec[u + 1];
      }
      rec[p] = m < t ? m : t;
    }
  }
  const queue = queueScratch(n);
  // A pixel sits in the queue at most once (it propagates its latest value), so n slots suffice.
  const queued = queuedScratch(n).fill(0);
  // Markers are set as reconstruction values settle: here for each pixel, then again wherever the
  // FIFO raises one (which can only clear it), so no pass after the FIFO.
  const markers = out ?? new Uint8Array(n);
  const eps = 1e-4;
  let tail = 0;
  // Backward scan: anti-causal neighbours; enqueue pixels that can still raise a neighbour.
  for (let y = height - 1; y >= 0; y--) {
    for (let x = w - 1; x >= 0; x--) {
      const p = y * w + x;
      if (!mask[p]) {
        markers[p] = 0;
        continue;
      }
      let m = rec[p];
      const right = x < w - 1;
      const down = y < height - 1;
      if (right && rec[p + 1] > m) m = rec[p + 1];
      if (down) {
        const d = p + w;
        if (rec[d] > m) m = rec[d];
        if (x > 0 && rec[d - 1] > m) m = rec[d - 1];
        if (right && rec[d + 1] > m) m = rec[d + 1];
      }
      const v = m < top[p] ? m : top[p];
      rec[p] = v;
      markers[p] = f[p] - v >= h - eps ? 1 : 0;
      let raise = right && rec[p + 1] < v && rec[p + 1] < top[p + 1];
      if (!raise && down) {
        const d = p + w;
        raise = (rec[d] < v && rec[d] < top[d]) ||
          (x > 0 && rec[d - 1] < v && rec[d - 1] < top[d - 1]) ||
          (right && rec[d + 1] < v && rec[d + 1] < top[d + 1]);
      }
      if (raise) {
        queue[tail++] = p;
        queued[p] = 1;
      }
    }
  }
  // FIFO propagation over a ring buffer.
  let head = 0;
  let size = tail;
  if (tail === n) tail = 0;
  while (size > 0) {
    const p = queue[head];
    head = head + 1 === n ? 0 : head + 1;
    size--;
    queued[p] = 0;
    const x = p % w;
    const v = rec[p];
    const hasLeft = x > 0;
    const hasRight = x < w - 1;
    const hasUp = p >= w;
    const hasDown = p < n - w;
    // In the order right, left, down, up, down-right, up-left, up-right, down-left.
    for (let k = 0; k < 8; k++) {
      let q: number;
      switch (k) {
        case 0: if (!hasRight) continue; q = p + 1; break;
        case 1: if (!hasLeft) continue; q = p - 1; break;
        case 2: if (!hasDown) continue; q = p + w; break;
        case 3: if (!hasUp) continue; q = p - w; break;
        case 4: if (!hasDown || !hasRight) continue; q = p + w + 1; break;
        case 5: if (!hasUp || !hasLeft) continue; q = p - w - 1; break;
        case 6: if (!hasUp || !hasRight) continue; q = p - w + 1; break;
        default: if (!hasDown || !hasLeft) continue; q = p + w - 1;
      }
      const t = top[q];
      if (rec[q] >= v || rec[q] >= t) continue;
      rec[q] = v < t ? v : t;
      markers[q] = f[q] - rec[q] >= h - eps ? 1 : 0;
      if (queued[q]) continue;
      queued[q] = 1;
      queue[tail] = q;
      tail = tail + 1 === n ? 0 : tail + 1;
      size++;
    }
  }
  return markers;
}

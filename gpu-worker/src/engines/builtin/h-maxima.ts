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
  for (let i = 0; i < n; i++) {
    top[i] = mask[i] ? f[i] : -Infinity;
    rec[i] = mask[i] ? f[i] - h : -Infinity;
  }
  const w = width;
  // Forward scan: causal neighbours (left, up-left, up, up-right).
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (!mask[p]) continue;
      let m = rec[p];
      if (x > 0 && rec[p - 1] > m) m = rec[p - 1];
      if (y > 0) {
        const u = p - w;
        if (rec[u] > m) m = rec[u];
        if (x > 0 && rec[u - 1] > m) m = rec[u - 1];
        if (x < w - 1 && rec[u + 1] > m) m = rec[u + 1];
      }
      rec[p] = m < top[p] ? m : top[p];
    }
  }
  const queue = queueScratch(n);
  // A pixel sits in the queue at most once (it propagates its latest value), so n slots suffice.
  const queued = queuedScratch(n).fill(0);
  let tail = 0;
  // Backward scan: anti-causal neighbours; enqueue pixels that can still raise a neighbour.
  for (let y = height - 1; y >= 0; y--) {
    for (let x = w - 1; x >= 0; x--) {
      const p = y * w + x;
      if (!mask[p]) continue;
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
    // NEIGHBOURS_8 order: right, left, down, up, down-right, up-left, up-right, down-left.
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
      if (queued[q]) continue;
      queued[q] = 1;
      queue[tail] = q;
      tail = tail + 1 === n ? 0 : tail + 1;
      size++;
    }
  }
  const markers = out ?? new Uint8Array(n);
  const eps = 1e-4;
  for (let i = 0; i < n; i++) markers[i] = mask[i] && f[i] - rec[i] >= h - eps ? 1 : 0;
  return markers;
}

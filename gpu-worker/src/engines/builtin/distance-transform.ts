import { scratch } from './scratch';

const columnScratch = scratch(Int32Array);

/** Squared distance standing for "no background anywhere along the line" (as Felzenszwalb's INF). */
const INF = 1e20;
/** Column distances at or above this mean no background pixel in the column. */
const NONE = 1 << 20;

/**
 * Exact Euclidean distance (pixels) from every mask pixel to the nearest non-mask pixel
 * (Felzenszwalb & Huttenlocher 2012, two 1-D passes, O(N)). Pixels outside the image count as
 * background when `borderIsBackground`, else the image edge does not bound distances. Writes into
 * `out` when given (every pixel), else a new plane.
 */
export function distanceToBackground(mask: Uint8Array, width: number, height: number, borderIsBackground = false, out?: Float32Array): Float32Array {
  const n = width * height;
  // Column pass: on a binary image the 1-D transform is the distance to the nearest background
  // pixel in the column, found by a downward and an upward sweep over whole rows (row-major, so
  // cache friendly). The squared integers equal what the parabola envelope yields, exactly.
  const column = columnScratch(n);
  const edge = borderIsBackground ? 1 : NONE;
  for (let x = 0; x < width; x++) column[x] = mask[x] ? edge : 0;
  for (let y = 1; y < height; y++) {
    for (let i = y * width, end = i + width; i < end; i++) column[i] = mask[i] ? column[i - width] + 1 : 0;
  }
  const last = (height - 1) * width;
  for (let i = last; i < n; i++) if (column[i] > edge) column[i] = edge;
  for (let y = height - 2; y >= 0; y--) {
    for (let i = y * width, end = i + width; i < end; i++) {
      const below = column[i + width] + 1;
      if (below < column[i]) column[i] = below;
    }
  }
  // Row pass. A parabola rooted beyond a background pixel never undercuts that pixel's own, so
  // each run of foreground between background pixels (real, or virtual outside a background
  // border) is transformed on its own: the exact minimum is the same, background costs nothing.
  const f = new Float64Array(width + 2);
  const d = new Float64Array(width + 2);
  const v = new Int32Array(width + 2);
  const z = new Float64Array(width + 3);
  const dist = out ?? new Float32Array(n);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = 0;
    while (x < width) {
      if (column[row + x] === 0) {
        dist[row + x] = 0;
        x++;
        continue;
      }
      const start = x;
      while (x < width && column[row + x] !== 0) x++;
      // Local line: an optional background sample, the run, an optional background sample.
      const before = start > 0 || borderIsBackground ? 1 : 0;
      let len = 0;
      if (before) f[len++] = 0;
      for (let i = row + start, end = row + x; i < end; i++) {
        const c = column[i];
        f[len++] = c >= NONE ? INF : c * c;
      }
      if (x < width || borderIsBackground) f[len++] = 0;
      transform1d(f, len, d, v, z);
      for (let i = row + start, k = before, end = row + x; i < end; i++, k++) dist[i] = Math.sqrt(d[k]);
    }
  }
  return dist;
}

/** 1-D squared distance transform of sampled function f (lower envelope of parabolas). */
function transform1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq >= INF) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    let p = v[k];
    let s = (fq + q * q - (f[p] + p * p)) / (2 * (q - p));
    // z[0] is -Infinity, so k never drops below 0.
    while (s <= z[k]) {
      k--;
      p = v[k];
      s = (fq + q * q - (f[p] + p * p)) / (2 * (q - p));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    d.fill(INF, 0, n);
    return;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = dq * dq + f[v[k]];
  }
}

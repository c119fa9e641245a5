/**
 * Exact Euclidean distance (pixels) from every mask pixel to the nearest non-mask pixel
 * (Felzenszwalb & Huttenlocher 2012, two 1-D passes, O(N)). Pixels outside the image count as
 * background when `borderIsBackground`, else the image edge does not bound distances.
 */
export function distanceToBackground(mask: Uint8Array, width: number, height: number, borderIsBackground = false): Float32Array {
  const INF = 1e20;
  const n = Math.max(width, height) + 2;
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const grid = new Float64Array(width * height);
  for (let i = 0; i < grid.length; i++) grid[i] = mask[i] ? INF : 0;
  const pad = borderIsBackground ? 1 : 0;
  // Columns, then rows; with a border, a virtual background pixel sits just outside each end.
  for (let x = 0; x < width; x++) {
    const len = height + 2 * pad;
    if (pad) f[0] = f[len - 1] = 0;
    for (let y = 0; y < height; y++) f[y + pad] = grid[y * width + x];
    transform1d(f, len, d, v, z);
    for (let y = 0; y < height; y++) grid[y * width + x] = d[y + pad];
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const len = width + 2 * pad;
    if (pad) f[0] = f[len - 1] = 0;
    for (let x = 0; x < width; x++) f[x + pad] = grid[y * width + x];
    transform1d(f, len, d, v, z);
    for (let x = 0; x < width; x++) out[y * width + x] = Math.sqrt(d[x + pad]);
  }
  return out;
}

/** 1-D squared distance transform of sampled function f (lower envelope of parabolas). */
function transform1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq >= 1e20) continue;
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
    d.fill(1e20, 0, n);
    return;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = dq * dq + f[v[k]];
  }
}

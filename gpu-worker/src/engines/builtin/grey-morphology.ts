import { scratch } from './scratch';

const passScratch = scratch(Float32Array);

/**
 * Grey-level opening with a size x size square (min filter then max filter), each as two
 * separable van Herk / Gil-Werman passes: O(N) whatever the size. Outside the image counts as
 * +Infinity for the min and -Infinity for the max, so edges do not bias the result. Writes into
 * `out` when given (not src), else a new plane.
 */
export function greyOpening(src: Float32Array, width: number, height: number, size: number, out: Float32Array = new Float32Array(width * height)): Float32Array {
  const k = size | 1;
  // Min and max over a rectangle are exact whatever the order of the 1-D passes, so both column
  // passes run back to back on one transpose (rows of the transpose read memory in order).
  const a = passScratch(width * height);
  const b = out;
  filterRows(src, a, width, height, k, 1);
  transpose(a, b, width, height);
  filterRows(b, a, height, width, k, 1);
  filterRows(a, b, height, width, k, -1);
  transpose(b, a, height, width);
  filterRows(a, b, width, height, k, -1);
  return b;
}

/** Running filter of `size` along every row of a width x height plane into out (sign 1: minimum, -1: maximum, as minimum of negated values). */
function filterRows(src: Float32Array, out: Float32Array, width: number, height: number, size: number, sign: 1 | -1): void {
  const padded = new Float32Array(width + size);
  const g = new Float32Array(width + size);
  const h = new Float32Array(width + size);
  const half = size >> 1;
  padded.fill(Infinity);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) padded[half + x] = sign * src[row + x];
    runningMin(padded, width, size, g, h);
    for (let x = 0; x < width; x++) {
      const hx = h[x];
      const gx = g[x + size - 1];
      out[row + x] = sign * (hx < gx ? hx : gx);
    }
  }
}

/** Transpose of a width x height plane into out (height x width), in cache-sized blocks. */
function transpose(src: Float32Array, out: Float32Array, width: number, height: number): void {
  const B = 32;
  for (let y0 = 0; y0 < height; y0 += B) {
    const y1 = y0 + B < height ? y0 + B : height;
    for (let x0 = 0; x0 < width; x0 += B) {
      const x1 = x0 + B < width ? x0 + B : width;
      for (let y = y0; y < y1; y++) {
        for (let x = x0, i = y * width + x0; x < x1; x++, i++) out[x * height + y] = src[i];
      }
    }
  }
}

/**
 * Block prefix (g) and suffix (h) minima over blocks of `size` of padded[0 .. n + size - 1);
 * the minimum of window [i, i + size - 1] is then min(h[i], g[i + size - 1]).
 */
function runningMin(padded: Float32Array, n: number, size: number, g: Float32Array, h: Float32Array): void {
  const len = n + size - 1;
  for (let start = 0; start < len; start += size) {
    const end = start + size < len ? start + size : len;
    let m = padded[start];
    g[start] = m;
    for (let i = start + 1; i < end; i++) {
      const v = padded[i];
      if (v < m) m = v;
      g[i] = m;
    }
    m = padded[end - 1];
    h[end - 1] = m;
    for (let i = end - 2; i >= start; i--) {
      const v = padded[i];
      if (v < m) m = v;
      h[i] = m;
    }
  }
}

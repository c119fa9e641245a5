/**
 * Grey-level opening with a size x size square (min filter then max filter), each as two
 * separable van Herk / Gil-Werman passes: O(N) whatever the size. Outside the image counts as
 * +Infinity for the min and -Infinity for the max, so edges do not bias the result.
 */
export function greyOpening(src: Float32Array, width: number, height: number, size: number): Float32Array {
  const eroded = filterSeparable(src, width, height, size | 1, 1);
  return filterSeparable(eroded, width, height, size | 1, -1);
}

/** sign 1: running minimum; sign -1: running maximum (computed as minimum of negated values). */
function filterSeparable(src: Float32Array, width: number, height: number, size: number, sign: 1 | -1): Float32Array {
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  const maxLen = Math.max(width, height);
  const padded = new Float32Array(maxLen + size);
  const g = new Float32Array(maxLen + size);
  const h = new Float32Array(maxLen + size);
  const half = size >> 1;
  padded.fill(Infinity);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) padded[half + x] = sign * src[row + x];
    runningMin(padded, width, size, g, h);
    for (let x = 0; x < width; x++) tmp[row + x] = sign * minOf(h[x], g[x + size - 1]);
  }
  padded.fill(Infinity);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) padded[half + y] = sign * tmp[y * width + x];
    runningMin(padded, height, size, g, h);
    for (let y = 0; y < height; y++) out[y * width + x] = sign * minOf(h[y], g[y + size - 1]);
  }
  return out;
}

function minOf(a: number, b: number): number {
  return a < b ? a : b;
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

import { scratch } from './scratch';

const keyScratch = scratch(Int32Array);
const transposedScratch = scratch(Int32Array);

/** Above every order key: stands for +Infinity outside the image in a running minimum. */
const TOP = 0x7fffffff;
/** Below every order key: stands for -Infinity outside the image in a running maximum. */
const BOTTOM = -0x80000000;

/**
 * Grey-level opening with a size x size square (min filter then max filter), each as two
 * separable van Herk / Gil-Werman passes: O(N) whatever the size. Outside the image counts as
 * +Infinity for the min and -Infinity for the max, so edges do not bias the result. Writes into
 * `out` when given (not src), else a new plane.
 *
 * The filters run on order keys (orderKey) rather than floats: integer extrema compile to
 * branch-free code, while a float comparison is a branch that mispredicts on noisy planes. The
 * result is the float opening exactly, but for the sign of a zero where +0 and -0 meet (keys
 * order -0 first; no comparison or difference tells the two apart).
 */
export function greyOpening(src: Float32Array, width: number, height: number, size: number, out: Float32Array = new Float32Array(width * height)): Float32Array {
  const n = width * height;
  const k = size | 1;
  const transposed = transposedScratch(n);
  const keys = keyScratch(n);
  const srcBits = new Int32Array(src.buffer, src.byteOffset, n);
  const outBits = new Int32Array(out.buffer, out.byteOffset, n);
  // Min and max over a rectangle are exact whatever the order of the 1-D passes. The row minima
  // go straight into the transpose (consecutive rows fill neighbouring slots of the same cache
  // lines), whose rows, the columns, then take their minima and maxima one line at a time while
  // it sits in cache and go back transposed for the row maxima: no transpose pass of its own.
  // The first pass reads the floats' bits, the last writes them.
  const lines = new LineFilter(Math.max(width, height), k);
  for (let y = 0; y < height; y++) lines.min(srcBits, y * width, width, transposed, y, height, true);
  for (let x = 0; x < width; x++) {
    lines.min(transposed, x * height, height, transposed, x * height, 1, false);
    lines.max(transposed, x * height, height, keys, x, width, false);
  }
  for (let y = 0; y < height; y++) lines.max(keys, y * width, width, outBits, y * width, 1, true);
  return out;
}

/**
 * Int32 that orders as the float32 whose bits it is given (for non-NaN values; -0 below +0):
 * negative floats get their magnitude bits flipped. Its own inverse.
 */
function orderKey(bits: number): number {
  return bits ^ ((bits >> 31) & 0x7fffffff);
}

/** Smaller of two int32 without a branch. */
function minKey(a: number, b: number): number {
  return b ^ ((a ^ b) & -+(a < b));
}

/** Larger of two int32 without a branch. */
function maxKey(a: number, b: number): number {
  return b ^ ((a ^ b) & -+(a > b));
}

/**
 * Running min / max of an odd `size` along lines of up to `maxLength` keys, in place. Van Herk:
 * the line sits in a padded buffer whose blocks of `size` get prefix extrema (g) in a forward
 * sweep; a backward sweep keeps the suffix extremum of its block and meets g of the window's far
 * end, so the suffix array is never stored.
 */
class LineFilter {
  private readonly padded: Int32Array;
  private readonly g: Int32Array;
  private readonly half: number;

  constructor(maxLength: number, private readonly size: number) {
    this.padded = new Int32Array(maxLength + size);
    this.g = new Int32Array(maxLength + size);
    this.half = size >> 1;
  }

  /**
   * out[to + x * step] = min of src[from + x - half .. from + x + half] (those inside the line of
   * `length`); with `floatBits`, src holds float32 bit patterns rather than keys. In place allowed.
   */
  min(src: Int32Array, from: number, length: number, out: Int32Array, to: number, step: number, floatBits: boolean): void {
    const { padded, g, size } = this;
    const len = length + size - 1;
    this.load(src, from, length, TOP, floatBits);
    for (let start = 0; start < len; start += size) {
      const end = start + size < len ? start + size : len;
      let m = padded[start];
      g[start] = m;
      for (let i = start + 1; i < end; i++) g[i] = m = minKey(padded[i], m);
    }
    // Window of x: padded[x .. x + size - 1] = suffix of x's block + prefix up to x + size - 1.
    for (let start = Math.floor((length - 1) / size) * size; start >= 0; start -= size) {
      const end = start + size < length ? start + size : length;
      let m = TOP;
      for (let i = (start + size < len ? start + size : len) - 1; i >= end; i--) m = minKey(padded[i], m);
      for (let x = end - 1; x >= start; x--) {
        m = minKey(padded[x], m);
        out[to + x * step] = minKey(m, g[x + size - 1]);
      }
    }
  }

  /**
   * out[to + x * step] = max of src[from + x - half .. from + x + half] (those inside the line of
   * `length`); with `floatBits`, written as float32 bit patterns rather than keys. In place allowed.
   */
  max(src: Int32Array, from: number, length: number, out: Int32Array, to: number, step: number, floatBits: boolean): void {
    const { padded, g, size } = this;
    const len = length + size - 1;
    this.load(src, from, length, BOTTOM, false);
    for (let start = 0; start < len; start += size) {
      const end = start + size < len ? start + size : len;
      let m = padded[start];
      g[start] = m;
      for (let i = start + 1; i < end; i++) g[i] = m = maxKey(padded[i], m);
    }
    // orderKey is its own inverse: applied to a key it gives the float's bits back.
    const flip = floatBits ? 0x7fffffff : 0;
    for (let start = Math.floor((length - 1) / size) * size; start >= 0; start -= size) {
      const end = start + size < length ? start + size : length;
      let m = BOTTOM;
      for (let i = (start + size < len ? start + size : len) - 1; i >= end; i--) m = maxKey(padded[i], m);
      for (let x = end - 1; x >= start; x--) {
        m = maxKey(padded[x], m);
        const v = maxKey(m, g[x + size - 1]);
        out[to + x * step] = v ^ ((v >> 31) & flip);
      }
    }
  }

  /** Copy a line into the middle of the padded buffer, `outside` on both sides; float bits become keys. */
  private load(src: Int32Array, from: number, length: number, outside: number, floatBits: boolean): void {
    const { padded, half } = this;
    padded.fill(outside, 0, half);
    if (floatBits) for (let x = 0; x < length; x++) padded[half + x] = orderKey(src[from + x]);
    else padded.set(src.subarray(from, from + length), half);
    padded.fill(outside, half + length, length + this.size - 1);
  }
}

/** Pixel states of the DeepLIIF label mask (create_posneg_mask / mark_background). */
export const PIXEL_BACKGROUND = 0;
export const PIXEL_UNKNOWN = 1;
export const PIXEL_POSITIVE = 2;
export const PIXEL_NEGATIVE = 3;

/**
 * create_posneg_mask: a pixel votes positive when R + B > segThresh, G <= greenThresh and
 * R >= B; negative when R < B; otherwise it is unknown (boundary, background or hole).
 */
export function createPosNegMask(rgb: Uint8Array, channels: number, pixels: number, segThresh: number, greenThresh: number): Uint8Array {
  const mask = new Uint8Array(pixels);
  for (let i = 0, p = 0; i < pixels; i++, p += channels) {
    const r = rgb[p];
    const b = rgb[p + 2];
    mask[i] = r + b > segThresh && rgb[p + 1] <= greenThresh ? (r >= b ? PIXEL_POSITIVE : PIXEL_NEGATIVE) : PIXEL_UNKNOWN;
  }
  return mask;
}

/** Union-find over provisional labels; roots are always the smaller label, so parent[k] <= k. */
class Equivalences {
  parent = new Int32Array(4096);
  size = 0;

  add(): number {
    if (++this.size >= this.parent.length) {
      const bigger = new Int32Array(this.parent.length * 2);
      bigger.set(this.parent);
      this.parent = bigger;
    }
    this.parent[this.size] = this.size;
    return this.size;
  }

  find(k: number): number {
    const p = this.parent;
    while (p[k] !== k) {
      p[k] = p[p[k]];
      k = p[k];
    }
    return k;
  }

  union(a: number, b: number): number {
    const ra = this.find(a), rb = this.find(b);
    if (ra < rb) {
      this.parent[rb] = ra;
      return ra;
    }
    this.parent[ra] = rb;
    return rb;
  }

  /** Point every label at its root in one forward pass (valid because parent[k] <= k). */
  flatten(): Int32Array {
    const p = this.parent;
    for (let k = 1; k <= this.size; k++) p[k] = p[p[k]];
    return p;
  }
}

/**
 * mark_background: unknown pixels 4-connected to the image border become background. Unknown
 * pixels left (holes, enclosed boundary lines) then belong to the cell around them.
 * `stack` needs one slot per pixel (each pixel is pushed at most once).
 */
export function markBackground(mask: Uint8Array, width: number, height: number, stack: Int32Array): void {
  const n = mask.length;
  let top = 0;
  for (let y = 0; y < height; y++) {
    const a = y * width, b = a + width - 1;
    if (mask[a] === PIXEL_UNKNOWN) { mask[a] = PIXEL_BACKGROUND; stack[top++] = a; }
    if (mask[b] === PIXEL_UNKNOWN) { mask[b] = PIXEL_BACKGROUND; stack[top++] = b; }
  }
  for (let x = 0; x < width; x++) {
    const a = x, b = (height - 1) * width + x;
    if (mask[a] === PIXEL_UNKNOWN) { mask[a] = PIXEL_BACKGROUND; stack[top++] = a; }
    if (mask[b] === PIXEL_UNKNOWN) { mask[b] = PIXEL_BACKGROUND; stack[top++] = b; }
  }
  while (top > 0) {
    const i = stack[--top];
    const x = i % width;
    let j = i - 1;
    if (x > 0 && mask[j] === PIXEL_UNKNOWN) { mask[j] = PIXEL_BACKGROUND; stack[top++] = j; }
    j = i + 1;
    if (x < width - 1 && mask[j] === PIXEL_UNKNOWN) { mask[j] = PIXEL_BACKGROUND; stack[top++] = j; }
    j = i - width;
    if (j >= 0 && mask[j] === PIXEL_UNKNOWN) { mask[j] = PIXEL_BACKGROUND; stack[top++] = j; }
    j = i + width;
    if (j < n && mask[j] === PIXEL_UNKNOWN) { mask[j] = PIXEL_BACKGROUND; stack[top++] = j; }
  }
}

/** Per-component sums gathered in one pass (index 0 unused; components are 1-based). */
export interface ComponentStats {
  count: number;
  area: Float64Array;
  positiveVotes: Float64Array;
  negativeVotes: Float64Array;
  sumX: Float64Array;
  sumY: Float64Array;
  firstPixel: Float64Array;
  minX: Int32Array;
  minY: Int32Array;
  maxX: Int32Array;
  maxY: Int32Array;
}

function createStats(capacity: number): ComponentStats {
  return {
    count: 0,
    area: new Float64Array(capacity),
    positiveVotes: new Float64Array(capacity),
    negativeVotes: new Float64Array(capacity),
    sumX: new Float64Array(capacity),
    sumY: new Float64Array(capacity),
    firstPixel: new Float64Array(capacity),
    minX: new Int32Array(capacity),
    minY: new Int32Array(capacity),
    maxX: new Int32Array(capacity),
    maxY: new Int32Array(capacity),
  };
}

/**
 * compute_cell_mapping: 8-connected components of non-background pixels, numbered 1.. in raster
 * order of their first pixel, written into `labels`; votes count positive/negative pixels.
 * Two-pass labelling (sequential memory access, no flood-fill stack).
 */
export function labelComponents(mask: Uint8Array, width: number, labels: Int32Array): ComponentStats {
  const height = mask.length / width;
  const eq = new Equivalences();
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (mask[i] === PIXEL_BACKGROUND) {
        labels[i] = 0;
        continue;
      }
      // N touches NW, W and NE, so when N is set it alone decides.
      const n = y > 0 ? labels[i - width] : 0;
      if (n) {
        labels[i] = n;
        continue;
      }
      const w = x > 0 ? labels[i - 1] : 0;
      const nw = x > 0 && y > 0 ? labels[i - width - 1] : 0;
      const ne = x < width - 1 && y > 0 ? labels[i - width + 1] : 0;
      let l = w || nw;
      if (w && nw && w !== nw) l = eq.union(w, nw);
      if (ne) l = l && l !== ne ? eq.union(l, ne) : ne;
      labels[i] = l || eq.add();
    }
  }
  const root = eq.flatten();
  let count = 0;
  for (let k = 1; k <= eq.size; k++) if (root[k] === k) count++;
  const stats = createStats(count + 1);
  const finalId = new Int32Array(eq.size + 1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const provisional = labels[i];
      if (!provisional) continue;
      const r = root[provisional];
      let id = finalId[r];
      if (!id) {
        id = finalId[r] = ++stats.count;
        stats.firstPixel[id] = i;
        stats.minX[id] = x;
        stats.minY[id] = y;
        stats.maxX[id] = x;
        stats.maxY[id] = y;
      }
      labels[i] = id;
      stats.area[id]++;
      stats.sumX[id] += x;
      stats.sumY[id] += y;
      const state = mask[i];
      if (state === PIXEL_POSITIVE) stats.positiveVotes[id]++;
      else if (state === PIXEL_NEGATIVE) stats.negativeVotes[id]++;
      if (x < stats.minX[id]) stats.minX[id] = x;
      if (x > stats.maxX[id]) stats.maxX[id] = x;
      stats.maxY[id] = y;
    }
  }
  return stats;
}

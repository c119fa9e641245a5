import type { SelectedCells } from './select-cells';
import type { LabelledSegmentation } from './segmentation-stage';

/** Opaque red / blue as little-endian RGBA words (ImageData byte order R, G, B, A). */
export const OVERLAY_POSITIVE = 0xff0000ff;
export const OVERLAY_NEGATIVE = 0xffff0000;

/** An Int32Array of at least `size` elements holding `array`'s contents (doubling). */
function grownInt32(array: Int32Array, size: number): Int32Array {
  const bigger = new Int32Array(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Calls `visit` for each outline pixel of the components drawn (class non-zero), numbering them k = 0, 1, ... */
function forOutlines(labelled: LabelledSegmentation, classes: Uint8Array, visit: (p: number, cls: number, k: number) => unknown): void {
  const { edgeStart, edgePixels } = labelled;
  let k = 0;
  for (let c = 1; c <= labelled.count; c++) {
    const cls = classes[c];
    if (cls === 0) continue;
    for (let j = edgeStart[c]; j < edgeStart[c + 1]; j++) visit(edgePixels[j], cls, k++);
  }
}

/** [x0, y0, x1, y1): the part of the layer a paint changed (empty when x1 <= x0). */
export type DirtyRect = readonly [number, number, number, number];

/**
 * Cell outlines drawn as SegOverlaid draws them (renderSegOverlaid: outline pixels, widened one
 * pixel each way, where outlines meet the later one in raster order wins) on a transparent
 * RGBA layer. Incremental: a size or marker move repaints only the cells whose class changed, a
 * seg move only the outline pixels that changed (a pixel's colour depends only on the outline
 * pixels in its 3 x 3 neighbourhood).
 */
export class OverlayPainter {
  readonly rgba: Uint32Array;
  private readonly edge: Uint8Array;
  /** Pixels queued for recolouring (dirty: 1 while queued, so each is queued once). */
  private readonly dirty: Uint8Array;
  private pending: Int32Array = new Int32Array(4096);
  private labelled: LabelledSegmentation | null = null;
  /** Drawn class per component of `labelled`: 0 hidden, 1 positive, 2 negative. */
  private drawn = new Uint8Array(1);

  constructor(readonly width: number, readonly height: number) {
    this.rgba = new Uint32Array(width * height);
    this.edge = new Uint8Array(width * height);
    this.dirty = new Uint8Array(width * height);
  }

  /** Repaint for a new selection; returns what changed. */
  paint(labelled: LabelledSegmentation, selected: SelectedCells): DirtyRect {
    const next = new Uint8Array(labelled.count + 1);
    for (let k = 0; k < selected.cells.length; k++) next[selected.components[k]] = selected.cells[k].positive ? 1 : 2;
    const old = this.labelled;
    const rect = old && old.edgePixels === labelled.edgePixels ? this.repaintCells(labelled, next) : this.repaintDiff(old, labelled, next);
    this.labelled = labelled;
    this.drawn = next;
    const [x0, y0, x1, y1] = rect;
    if (x1 < x0) return [0, 0, 0, 0];
    return [Math.max(0, x0 - 1), Math.max(0, y0 - 1), Math.min(this.width, x1 + 2), Math.min(this.height, y1 + 2)];
  }

  /** Same segmentation (a size or marker move): redraw the cells whose class changed. */
  private repaintCells(labelled: LabelledSegmentation, next: Uint8Array): DirtyRect {
    const { edgeStart, edgePixels } = labelled;
    const changed: number[] = [];
    for (let c = 1; c <= labelled.count; c++) {
      if (next[c] === this.drawn[c]) continue;
      changed.push(c);
      for (let j = edgeStart[c]; j < edgeStart[c + 1]; j++) this.edge[edgePixels[j]] = next[c];
    }
    let x0 = this.width, y0 = this.height, x1 = -1, y1 = -1;
    for (const c of changed) {
      for (let j = edgeStart[c]; j < edgeStart[c + 1]; j++) this.colourAround(edgePixels[j]);
      if (labelled.minX[c] < x0) x0 = labelled.minX[c];
      if (labelled.minY[c] < y0) y0 = labelled.minY[c];
      if (labelled.maxX[c] > x1) x1 = labelled.maxX[c];
      if (labelled.maxY[c] > y1) y1 = labelled.maxY[c];
    }
    return [x0, y0, x1, y1];
  }

  /**
   * Another segmentation (a seg move): neighbouring thresholds share most outline pixels, so only
   * pixels whose outline class differs between the drawn and the new outlines are recoloured
   * (with their 3 x 3 neighbourhoods), instead of clearing and redrawing every outline.
   */
  private repaintDiff(old: LabelledSegmentation | null, labelled: LabelledSegmentation, next: Uint8Array): DirtyRect {
    const edge = this.edge;
    // The class each new outline pixel had before this paint.
    let total = 0;
    for (let c = 1; c <= labelled.count; c++) if (next[c] !== 0) total += labelled.edgeStart[c + 1] - labelled.edgeStart[c];
    const before = new Uint8Array(total);
    forOutlines(labelled, next, (p, _cls, k) => (before[k] = edge[p]));
    if (old) forOutlines(old, this.drawn, (p) => (edge[p] = 0));
    forOutlines(labelled, next, (p, cls) => (edge[p] = cls));
    const w = this.width, h = this.height, dirty = this.dirty;
    let x0 = w, y0 = h, x1 = -1, y1 = -1, count = 0;
    // Neighbouring outline pixels share most of their 3 x 3 neighbourhoods: each pixel is recoloured once.
    const recolour = (p: number): void => {
      const y = (p / w) | 0, x = p - y * w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x < 2 || y < 2 || x > w - 3 || y > h - 3) {
        this.colourAroundAtBorder(x, y);
        return;
      }
      if (count + 9 > this.pending.length) this.pending = grownInt32(this.pending, count + 9);
      const pending = this.pending;
      for (let q = p - w - 1; q <= p + w + 1; q += w) {
        if (dirty[q] === 0) { dirty[q] = 1; pending[count++] = q; }
        if (dirty[q + 1] === 0) { dirty[q + 1] = 1; pending[count++] = q + 1; }
        if (dirty[q + 2] === 0) { dirty[q + 2] = 1; pending[count++] = q + 2; }
      }
    };
    // A pixel's class changed iff it was drawn and now differs, or is new and differed before.
    if (old) forOutlines(old, this.drawn, (p, cls) => edge[p] !== cls && recolour(p));
    forOutlines(labelled, next, (p, cls, k) => before[k] !== cls && recolour(p));
    const { rgba, pending } = this;
    for (let k = 0; k < count; k++) {
      const q = pending[k], b = q + w, a = q - w;
      dirty[q] = 0;
      // Own outline class, else the last outline neighbour in raster order (rows below first, right to left).
      const c = edge[q] || edge[b + 1] || edge[b] || edge[b - 1] || edge[q + 1] || edge[q - 1] || edge[a + 1] || edge[a] || edge[a - 1];
      rgba[q] = c === 1 ? OVERLAY_POSITIVE : c === 2 ? OVERLAY_NEGATIVE : 0;
    }
    return [x0, y0, x1, y1];
  }

  /** renderSegOverlaid's rule for the 3 x 3 pixels around outline pixel p. */
  private colourAround(p: number): void {
    const { width: w, height: h, rgba, edge: e } = this;
    const py = (p / w) | 0, px = p - py * w;
    if (px < 2 || py < 2 || px > w - 3 || py > h - 3) {
      this.colourAroundAtBorder(px, py);
      return;
    }
    for (let dy = -w; dy <= w; dy += w) {
      for (let dx = -1; dx <= 1; dx++) {
        const q = p + dy + dx, b = q + w, a = q - w;
        // Own outline class, else the last outline neighbour in raster order (rows below first, right to left).
        const c = e[q] || e[b + 1] || e[b] || e[b - 1] || e[q + 1] || e[q - 1] || e[a + 1] || e[a] || e[a - 1];
        rgba[q] = c === 1 ? OVERLAY_POSITIVE : c === 2 ? OVERLAY_NEGATIVE : 0;
      }
    }
  }

  private colourAroundAtBorder(px: number, py: number): void {
    const { width, height, rgba, edge } = this;
    for (let y = py - 1; y <= py + 1; y++) {
      if (y < 0 || y >= height) continue;
      for (let x = px - 1; x <= px + 1; x++) {
        if (x < 0 || x >= width) continue;
        let c = edge[y * width + x];
        for (let dy = 1; c === 0 && dy >= -1; dy--) {
          const yy = y + dy;
          if (yy < 0 || yy >= height) continue;
          const row = yy * width;
          if (x < width - 1) c = edge[row + x + 1];
          if (c === 0) c = edge[row + x];
          if (c === 0 && x > 0) c = edge[row + x - 1];
        }
        rgba[y * width + x] = c === 1 ? OVERLAY_POSITIVE : c === 2 ? OVERLAY_NEGATIVE : 0;
      }
    }
  }
}

import type { SelectedCells } from './select-cells';
import type { LabelledSegmentation } from './segmentation-stage';

/** Opaque red / blue as little-endian RGBA words (ImageData byte order R, G, B, A). */
export const OVERLAY_POSITIVE = 0xff0000ff;
export const OVERLAY_NEGATIVE = 0xffff0000;

/** [x0, y0, x1, y1): the part of the layer a paint changed (empty when x1 <= x0). */
export type DirtyRect = readonly [number, number, number, number];

/**
 * Cell outlines drawn as SegOverlaid draws them (renderSegOverlaid: outline pixels, widened one
 * pixel each way, where outlines meet the later one in raster order wins) on a transparent
 * RGBA layer. Incremental: a size or marker move repaints only the cells whose class changed
 * (a pixel's colour depends only on the outline pixels in its 3 x 3 neighbourhood).
 */
export class OverlayPainter {
  readonly rgba: Uint32Array;
  private readonly edge: Uint8Array;
  private labelled: LabelledSegmentation | null = null;
  /** Drawn class per component of `labelled`: 0 hidden, 1 positive, 2 negative. */
  private drawn = new Uint8Array(1);

  constructor(readonly width: number, readonly height: number) {
    this.rgba = new Uint32Array(width * height);
    this.edge = new Uint8Array(width * height);
  }

  /** Repaint for a new selection; returns what changed. */
  paint(labelled: LabelledSegmentation, selected: SelectedCells): DirtyRect {
    const next = new Uint8Array(labelled.count + 1);
    for (let k = 0; k < selected.cells.length; k++) next[selected.components[k]] = selected.cells[k].positive ? 1 : 2;
    const touched: [LabelledSegmentation, number][] = [];
    const old = this.labelled;
    if (old && old.edgePixels === labelled.edgePixels) {
      for (let c = 1; c <= labelled.count; c++) if (next[c] !== this.drawn[c]) touched.push([labelled, c]);
    } else {
      if (old) for (let c = 1; c <= old.count; c++) if (this.drawn[c] !== 0) touched.push([old, c]);
      for (let c = 1; c <= labelled.count; c++) if (next[c] !== 0) touched.push([labelled, c]);
    }
    // Outline classes first (old cleared, new set), then the colours around every changed outline.
    for (const [seg, c] of touched) {
      const cls = seg === labelled ? next[c] : 0;
      for (let j = seg.edgeStart[c]; j < seg.edgeStart[c + 1]; j++) this.edge[seg.edgePixels[j]] = cls;
    }
    let x0 = this.width, y0 = this.height, x1 = -1, y1 = -1;
    for (const [seg, c] of touched) {
      for (let j = seg.edgeStart[c]; j < seg.edgeStart[c + 1]; j++) this.colourAround(seg.edgePixels[j]);
      if (seg.minX[c] < x0) x0 = seg.minX[c];
      if (seg.minY[c] < y0) y0 = seg.minY[c];
      if (seg.maxX[c] > x1) x1 = seg.maxX[c];
      if (seg.maxY[c] > y1) y1 = seg.maxY[c];
    }
    this.labelled = labelled;
    this.drawn = next;
    if (x1 < x0) return [0, 0, 0, 0];
    return [Math.max(0, x0 - 1), Math.max(0, y0 - 1), Math.min(this.width, x1 + 2), Math.min(this.height, y1 + 2)];
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

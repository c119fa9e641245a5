import type { LabelledCells } from './colour-cells';

/** One annotated nucleus outline: polygon vertices [x, y] in pixel coordinates. */
export interface GtOutline {
  readonly label: string;
  readonly polygon: ReadonlyArray<readonly [number, number]>;
}

/**
 * Truth cells from outlines: a pixel belongs to a polygon when its centre (x + 0.5, y + 0.5) is
 * inside by the even-odd rule; where polygons overlap the later one wins. Cells left with no more
 * than `minArea` px are dropped (evaluate-seg.py's --gt-min-size, 4); ids follow the file order.
 */
export function rasterizeOutlines(width: number, height: number, outlines: readonly GtOutline[], minArea = 4): LabelledCells {
  const raw = new Int32Array(width * height);
  const xs: number[] = [];
  outlines.forEach((outline, k) => {
    const poly = outline.polygon;
    const n = poly.length;
    if (n < 3) return;
    let minY = Infinity, maxY = -Infinity;
    for (const [, y] of poly) {
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const y0 = Math.max(0, Math.ceil(minY - 0.5)), y1 = Math.min(height - 1, Math.floor(maxY - 0.5));
    for (let y = y0; y <= y1; y++) {
      const sy = y + 0.5;
      xs.length = 0;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const [xi, yi] = poly[i], [xj, yj] = poly[j];
        if ((yi <= sy) !== (yj <= sy)) xs.push(xi + ((sy - yi) / (yj - yi)) * (xj - xi));
      }
      xs.sort((a, b) => a - b);
      for (let m = 0; m + 1 < xs.length; m += 2) {
        const from = Math.max(0, Math.ceil(xs[m] - 0.5)), to = Math.min(width - 1, Math.ceil(xs[m + 1] - 0.5) - 1);
        for (let x = from; x <= to; x++) raw[y * width + x] = k + 1;
      }
    }
  });
  const area = new Float64Array(outlines.length + 1);
  for (let i = 0; i < raw.length; i++) area[raw[i]]++;
  const newId = new Int32Array(outlines.length + 1);
  const positive: number[] = [];
  for (let k = 1; k <= outlines.length; k++) {
    if (area[k] > minArea) {
      positive.push(outlines[k - 1].label === 'positive' ? 1 : 0);
      newId[k] = positive.length;
    }
  }
  const labels = raw.map((l) => newId[l]);
  return { width, height, labels, count: positive.length, positive: Uint8Array.from(positive), sizeThresh: 0 };
}

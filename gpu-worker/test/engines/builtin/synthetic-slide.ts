import { DEFAULT_HDAB_VECTORS, type Raster } from '@restain/shared';

/** A nucleus painted on a synthetic slide: centre (px), radius (px) and stain amounts (OD). */
export interface PaintedNucleus {
  readonly x: number;
  readonly y: number;
  readonly radius: number;
  readonly hematoxylin: number;
  readonly dab: number;
}

/** Glass of the synthetic slides (slightly warm, as real glass is). */
export const SYNTHETIC_GLASS = [238, 236, 230] as const;

/**
 * Beer-Lambert rendering of nuclei on glass with the default H-DAB vectors, soft 1.5 px edges and
 * faint deterministic noise; overlapping nuclei add their stain.
 */
export function paintSlide(width: number, height: number, nuclei: readonly PaintedNucleus[]): Raster {
  const data = new Uint8Array(width * height * 3);
  let seed = 12345;
  const noise = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296 - 0.5) * 0.02;
  const { hematoxylin: hv, dab: dv } = DEFAULT_HDAB_VECTORS;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let h = 0.01 + noise();
      let d = 0;
      for (const n of nuclei) {
        const r = Math.hypot(x - n.x, y - n.y);
        const weight = Math.min(1, Math.max(0, (n.radius - r) / 1.5 + 0.5));
        h += weight * n.hematoxylin;
        d += weight * n.dab;
      }
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = Math.round(SYNTHETIC_GLASS[c] * Math.pow(10, -(h * hv[c] + d * dv[c])));
    }
  }
  return { width, height, channels: 3, data };
}

/** DeepLIIF's cell rule on a Seg raster: R + B > 120 and G <= 80, 8-connected; positive iff R >= B by vote. */
export function extractSegCells(seg: Raster): Array<{ area: number; positive: boolean; cx: number; cy: number }> {
  const { width, height, data } = seg;
  const seen = new Uint8Array(width * height);
  const isCell = (p: number): boolean => data[p * 3] + data[p * 3 + 2] > 120 && data[p * 3 + 1] <= 80;
  const cells: Array<{ area: number; positive: boolean; cx: number; cy: number }> = [];
  for (let s = 0; s < width * height; s++) {
    if (seen[s] || !isCell(s)) continue;
    const stack = [s];
    seen[s] = 1;
    let area = 0;
    let votes = 0;
    let sx = 0;
    let sy = 0;
    while (stack.length) {
      const p = stack.pop() as number;
      const x = p % width;
      const y = (p - x) / width;
      area++;
      sx += x;
      sy += y;
      votes += data[p * 3] >= data[p * 3 + 2] ? 1 : -1;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const q = yy * width + xx;
        if (!seen[q] && isCell(q)) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    cells.push({ area, positive: votes >= 0, cx: sx / area, cy: sy / area });
  }
  return cells;
}

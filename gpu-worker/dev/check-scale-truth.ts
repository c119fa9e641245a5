/**
 * Ground-truth nucleus diameters for the scale check (dev only): reads the shared data sets with
 * sharp and reduces each image's annotations to equivalent diameters (sqrt(4 * area / pi)).
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Raster } from '@restain/shared';

export const DATA_ROOT = '/work/shared/data';

/** Fill components smaller than this are annotation specks, not nuclei. */
const MIN_COMPONENT_AREA_PX = 12;

export interface MaskDiameters {
  /** Equivalent diameters of red/blue fills that do not touch the mask border. */
  readonly interior: number[];
  /** Same, with the fill grown by half the green boundary (the boundary sits on the nucleus edge). */
  readonly withBoundary: number[];
}

export async function readRgb(file: string, crop?: { x: number; y: number; width: number; height: number }): Promise<Raster> {
  let pipeline = sharp(file).removeAlpha();
  if (crop) pipeline = pipeline.extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

function equivalentDiameter(area: number): number {
  return Math.sqrt((4 * area) / Math.PI);
}

/** Cell fills (red or blue, 4-connected) of a DeepLIIF segmentation mask, measured by area. */
export function measureMaskDiameters(mask: Raster): MaskDiameters {
  const { width, height, data, channels } = mask;
  const n = width * height;
  const kind = new Uint8Array(n); // 0 background, 1 red, 2 blue, 3 green boundary
  for (let i = 0; i < n; i++) {
    const r = data[i * channels];
    const g = data[i * channels + 1];
    const b = data[i * channels + 2];
    if (r > 127 && g < 128 && b < 128) kind[i] = 1;
    else if (b > 127 && r < 128 && g < 128) kind[i] = 2;
    else if (g > 127 && r < 128 && b < 128) kind[i] = 3;
  }
  const label = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const interior: number[] = [];
  const withBoundary: number[] = [];
  const boundaryOwner = new Int32Array(n).fill(-1);
  let next = 0;
  for (let seed = 0; seed < n; seed++) {
    if ((kind[seed] !== 1 && kind[seed] !== 2) || label[seed] >= 0) continue;
    const id = next++;
    let top = 0;
    stack[top++] = seed;
    label[seed] = id;
    let area = 0;
    let touchesBorder = false;
    let boundaryPixels = 0;
    while (top > 0) {
      const p = stack[--top];
      area++;
      const x = p % width;
      const y = (p - x) / width;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) touchesBorder = true;
      const neighbours = [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1];
      for (const q of neighbours) {
        if (q < 0) continue;
        if (kind[q] === kind[seed] && label[q] < 0) {
          label[q] = id;
          stack[top++] = q;
        } else if (kind[q] === 3 && boundaryOwner[q] !== id) {
          boundaryOwner[q] = id;
          boundaryPixels++;
        }
      }
    }
    if (touchesBorder || area < MIN_COMPONENT_AREA_PX) continue;
    interior.push(equivalentDiameter(area));
    // The green ring is shared by the fill and the outside: count half of its adjacent pixels.
    withBoundary.push(equivalentDiameter(area + boundaryPixels / 2));
  }
  return { interior, withBoundary };
}

interface OutlineCell {
  readonly polygon: ReadonlyArray<readonly [number, number]>;
}

/** Equivalent diameters of outline polygons (shoelace area), keeping those whose box lies in `region`. */
export async function readOutlineDiameters(file: string, region: { x: number; y: number; width: number; height: number }): Promise<number[]> {
  const cells = JSON.parse(await readFile(file, 'utf8')) as OutlineCell[];
  const out: number[] = [];
  for (const cell of cells) {
    const pts = cell.polygon;
    let area = 0;
    let inside = true;
    for (let i = 0; i < pts.length; i++) {
      const [x0, y0] = pts[i];
      const [x1, y1] = pts[(i + 1) % pts.length];
      area += x0 * y1 - x1 * y0;
      if (x0 < region.x || y0 < region.y || x0 >= region.x + region.width || y0 >= region.y + region.height) inside = false;
    }
    if (inside && pts.length >= 3) out.push(equivalentDiameter(Math.abs(area) / 2));
  }
  return out;
}

interface PointCell {
  readonly x: number;
  readonly y: number;
}

/** Mean nearest-neighbour distance between annotated nucleus centres: nuclei cannot sit closer than ~1 diameter. */
export async function readMeanNearestNeighbour(file: string): Promise<{ count: number; meanNearestPx: number; medianNearestPx: number }> {
  const pts = JSON.parse(await readFile(file, 'utf8')) as PointCell[];
  const nearest: number[] = [];
  for (let i = 0; i < pts.length; i++) {
    let best = Infinity;
    for (let j = 0; j < pts.length; j++) {
      if (i === j) continue;
      const d = Math.hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y);
      if (d < best) best = d;
    }
    if (Number.isFinite(best)) nearest.push(best);
  }
  const mean = nearest.reduce((s, v) => s + v, 0) / Math.max(1, nearest.length);
  return { count: pts.length, meanNearestPx: mean, medianNearestPx: median(nearest) };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

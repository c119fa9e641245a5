import { RestainError } from '../errors';
import { type Raster, createRaster } from '../image/raster';
import type { Cell } from './postprocess-options';

/** Class per cell id: 1 positive, 2 negative, 0 none. */
function classById(cells: readonly Cell[]): Uint8Array {
  let maxId = 0;
  for (const cell of cells) if (cell.id > maxId) maxId = cell.id;
  const cls = new Uint8Array(maxId + 1);
  for (const cell of cells) cls[cell.id] = cell.positive ? 1 : 2;
  return cls;
}

function checkLabels(width: number, height: number, labels: Int32Array): void {
  if (labels.length !== width * height) {
    throw new RestainError('INVALID_ARGUMENT', `Expected ${width * height} labels for ${width}x${height} but received ${labels.length}`);
  }
}

/**
 * SegRefined: every cell pixel red (positive) or blue (negative), the background pixels
 * 8-touching a cell green, the rest black. Unlike DeepLIIF's, whose 3-px green line covers the
 * cells' edge pixels, no cell pixel is painted over: cells are never 8-adjacent, so reading
 * this image back (extractCells, evaluate-seg.py) gives exactly the same cells.
 */
export function renderSegRefined(width: number, height: number, labels: Int32Array, cells: readonly Cell[]): Raster {
  checkLabels(width, height, labels);
  const cls = classById(cells);
  const out = createRaster(width, height, 3);
  const d = out.data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const c = cls[labels[i]] ?? 0;
      if (c === 1) d[3 * i] = 255;
      else if (c === 2) d[3 * i + 2] = 255;
      else if (touchesCell(labels, cls, width, height, x, y)) d[3 * i + 1] = 255;
    }
  }
  return out;
}

function touchesCell(labels: Int32Array, cls: Uint8Array, width: number, height: number, x: number, y: number): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= height) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if (xx >= 0 && xx < width && (cls[labels[yy * width + xx]] ?? 0) !== 0) return true;
    }
  }
  return false;
}

/**
 * SegOverlaid: the IHC image with each cell's outline in red (positive) or blue (negative),
 * drawn as DeepLIIF does: the cell pixels 4-touching background, widened by one pixel each
 * way (enlarge_cell_boundaries; where outlines meet, the later one in raster order wins).
 */
export function renderSegOverlaid(ihc: Raster, labels: Int32Array, cells: readonly Cell[], options: { inPlace?: boolean } = {}): Raster {
  const { width, height } = ihc;
  checkLabels(width, height, labels);
  if (ihc.channels < 3) throw new RestainError('INVALID_ARGUMENT', `Expected an RGB image to overlay but received ${ihc.channels} channel(s)`);
  const cls = classById(cells);
  const edge = new Uint8Array(width * height); // class of outline pixels, 0 elsewhere
  const isBackground = (i: number): boolean => (cls[labels[i]] ?? 0) === 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const c = cls[labels[i]] ?? 0;
      if (c === 0) continue;
      // Outside the image is not background (DeepLIIF's in_bounds test).
      if ((y > 0 && isBackground(i - width)) || (x > 0 && isBackground(i - 1))
        || (x < width - 1 && isBackground(i + 1)) || (y < height - 1 && isBackground(i + width))) edge[i] = c;
    }
  }
  // In place (an RGB image the caller no longer needs) saves a copy of the image.
  const out = options.inPlace && ihc.channels === 3 ? ihc : createRaster(width, height, 3);
  const src = ihc.data, d = out.data, sc = ihc.channels;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let c = edge[i];
      // Not itself an outline: take the class of the last outline neighbour in raster order.
      for (let dy = 1; c === 0 && dy >= -1; dy--) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        const row = yy * width;
        if (x < width - 1) c = edge[row + x + 1];
        if (c === 0) c = edge[row + x];
        if (c === 0 && x > 0) c = edge[row + x - 1];
      }
      const o = 3 * i, s = sc * i;
      if (c === 1) {
        d[o] = 255;
        d[o + 1] = 0;
        d[o + 2] = 0;
      } else if (c === 2) {
        d[o] = 0;
        d[o + 1] = 0;
        d[o + 2] = 255;
      } else if (out !== ihc) {
        d[o] = src[s];
        d[o + 1] = src[s + 1];
        d[o + 2] = src[s + 2];
      }
    }
  }
  return out;
}

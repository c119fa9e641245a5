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
  const out = createRaster(width, height, 3);
  renderSegRefinedRows(width, height, labels, classById(cells), 0, height, out.data);
  return out;
}

/**
 * SegRefined of a large image as bands of `rowsPerBand` rows, top to bottom: each band is only
 * valid until the next is asked for (one buffer is reused), so the whole RGB image never exists.
 */
export function* segRefinedBands(width: number, height: number, labels: Int32Array, cells: readonly Cell[], rowsPerBand: number): Generator<Raster> {
  checkLabels(width, height, labels);
  const cls = classById(cells);
  const buffer = new Uint8Array(Math.min(rowsPerBand, height) * width * 3);
  for (let y = 0; y < height; y += rowsPerBand) {
    const rows = Math.min(rowsPerBand, height - y);
    const data = buffer.subarray(0, rows * width * 3);
    renderSegRefinedRows(width, height, labels, cls, y, y + rows, data.fill(0));
    yield { width, height: rows, channels: 3, data };
  }
}

/** SegRefined rows [y0, y1) into `d` (zeroed, row y0 first). */
function renderSegRefinedRows(width: number, height: number, labels: Int32Array, cls: Uint8Array, y0: number, y1: number, d: Uint8Array): void {
  for (let y = y0; y < y1; y++) {
    for (let x = 0, o = 3 * (y - y0) * width; x < width; x++, o += 3) {
      const c = cls[labels[y * width + x]] ?? 0;
      if (c === 1) d[o] = 255;
      else if (c === 2) d[o + 2] = 255;
      else if (touchesCell(labels, cls, width, height, x, y)) d[o + 1] = 255;
    }
  }
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
  checkOverlayBand(ihc, width);
  // In place (an RGB image the caller no longer needs) saves a copy of the image.
  const out = options.inPlace && ihc.channels === 3 ? ihc : createRaster(width, height, 3);
  overlayRows(ihc, 0, labels, classById(cells), width, height, out.data);
  return out;
}

/**
 * SegOverlaid of a large image, drawn in place over the IHC image's row bands as they come (each
 * band: RGB rows from `y`, top to bottom, none skipped), so neither the image nor the overlay is
 * ever held whole. Yields each band once drawn.
 */
export function* segOverlaidBands(bands: Iterable<{ y: number; band: Raster }>, width: number, height: number, labels: Int32Array, cells: readonly Cell[]): Generator<Raster> {
  checkLabels(width, height, labels);
  const cls = classById(cells);
  let next = 0;
  for (const { y, band } of bands) {
    if (y !== next || band.channels !== 3) {
      throw new RestainError('INVALID_ARGUMENT', `Expected RGB image rows from ${next} but received ${band.channels}-channel rows from ${y}`);
    }
    checkOverlayBand(band, width);
    overlayRows(band, y, labels, cls, width, height, band.data);
    next += band.height;
    yield band;
  }
  if (next !== height) throw new RestainError('INVALID_ARGUMENT', `Expected ${height} image rows to overlay but received ${next}`);
}

function checkOverlayBand(ihc: Raster, width: number): void {
  if (ihc.channels < 3) throw new RestainError('INVALID_ARGUMENT', `Expected an RGB image to overlay but received ${ihc.channels} channel(s)`);
  if (ihc.width !== width) throw new RestainError('INVALID_ARGUMENT', `Expected image rows of width ${width} but received ${ihc.width}`);
}

/** Class of outline pixels (0 elsewhere) for rows [y0, y1) of the image, into `edge` (row y0 first). */
function outlineRows(labels: Int32Array, cls: Uint8Array, width: number, height: number, y0: number, y1: number, edge: Uint8Array): void {
  const isBackground = (i: number): boolean => (cls[labels[i]] ?? 0) === 0;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const c = cls[labels[i]] ?? 0;
      let e = 0;
      // Outside the image is not background (DeepLIIF's in_bounds test).
      if (c !== 0 && ((y > 0 && isBackground(i - width)) || (x > 0 && isBackground(i - 1))
        || (x < width - 1 && isBackground(i + 1)) || (y < height - 1 && isBackground(i + width)))) e = c;
      edge[(y - y0) * width + x] = e;
    }
  }
}

/**
 * The overlay for the image rows held in `src` (first row y0) into `d` (may be src's data). The
 * outline classes are worked out for those rows and one more on each side.
 */
function overlayRows(src: Raster, y0: number, labels: Int32Array, cls: Uint8Array, width: number, height: number, d: Uint8Array): void {
  const y1 = y0 + src.height;
  const e0 = Math.max(0, y0 - 1);
  const e1 = Math.min(height, y1 + 1);
  const edge = new Uint8Array((e1 - e0) * width);
  outlineRows(labels, cls, width, height, e0, e1, edge);
  const s = src.data, sc = src.channels;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < width; x++) {
      let c = edge[(y - e0) * width + x];
      // Not itself an outline: take the class of the last outline neighbour in raster order.
      for (let dy = 1; c === 0 && dy >= -1; dy--) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        const row = (yy - e0) * width;
        if (x < width - 1) c = edge[row + x + 1];
        if (c === 0) c = edge[row + x];
        if (c === 0 && x > 0) c = edge[row + x - 1];
      }
      const k = (y - y0) * width + x;
      const o = 3 * k, p = sc * k;
      if (c === 1) {
        d[o] = 255;
        d[o + 1] = 0;
        d[o + 2] = 0;
      } else if (c === 2) {
        d[o] = 0;
        d[o + 1] = 0;
        d[o + 2] = 255;
      } else if (d !== s) {
        d[o] = s[p];
        d[o + 1] = s[p + 1];
        d[o + 2] = s[p + 2];
      }
    }
  }
}

import fs from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { RestainError } from '@restain/shared';
import { RasterFileWriter } from './raster-file-writer';
import { readVipsHeader, VIPS_HEADER_BYTES } from './vips-header';

/** Source bytes read per band (whole rows); memory stays near twice this. */
const DEFAULT_BAND_BYTES = 16 << 20;

/**
 * Where source pixel (x, y) lands when displayed with an EXIF orientation (TIFF 6.0 tag 274), as
 * an affine map: ox = x0 + xx*x + xy*y, oy = y0 + yx*x + yy*y. Orientations: 2 mirror,
 * 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 270.
 */
interface PixelMap {
  readonly x0: number;
  readonly xx: number;
  readonly xy: number;
  readonly y0: number;
  readonly yx: number;
  readonly yy: number;
}

function pixelMap(orientation: number, width: number, height: number): PixelMap | null {
  const w = width - 1;
  const h = height - 1;
  switch (orientation) {
    case 1: return { x0: 0, xx: 1, xy: 0, y0: 0, yx: 0, yy: 1 };
    case 2: return { x0: w, xx: -1, xy: 0, y0: 0, yx: 0, yy: 1 };
    case 3: return { x0: w, xx: -1, xy: 0, y0: h, yx: 0, yy: -1 };
    case 4: return { x0: 0, xx: 1, xy: 0, y0: h, yx: 0, yy: -1 };
    case 5: return { x0: 0, xx: 0, xy: 1, y0: 0, yx: 1, yy: 0 };
    case 6: return { x0: h, xx: 0, xy: -1, y0: 0, yx: 1, yy: 0 };
    case 7: return { x0: h, xx: 0, xy: -1, y0: w, yx: -1, yy: 0 };
    case 8: return { x0: 0, xx: 0, xy: 1, y0: w, yx: -1, yy: 0 };
    default: return null;
  }
}

/** Copy one band of source rows into its output rectangle's layout (no per-pixel allocation). */
function remapBand(source: Uint8Array, target: Uint8Array, rows: number, width: number, channels: number, rowStart0: number, stepX: number, stepY: number): void {
  let rowStart = rowStart0;
  let from = 0;
  for (let y = 0; y < rows; y++, rowStart += stepY) {
    let to = rowStart;
    if (channels === 3) {
      for (let x = 0; x < width; x++, to += stepX, from += 3) {
        target[to] = source[from];
        target[to + 1] = source[from + 1];
        target[to + 2] = source[from + 2];
      }
    } else {
      for (let x = 0; x < width; x++, to += stepX, from += 1) target[to] = source[from];
    }
  }
}

/**
 * Apply an EXIF orientation to a .v raster file, writing another .v file. It reads bands of whole
 * source rows and writes each where the orientation puts it, so memory stays bounded (about
 * 2 x bandBytes) for any size; a libvips rotation would hold the whole decoded image instead.
 */
export async function orientRasterFile(srcV: string, dstV: string, orientation: number, options: { bandBytes?: number } = {}): Promise<void> {
  const { width, height, channels } = readVipsHeader(srcV);
  const map = pixelMap(orientation, width, height);
  if (!map) throw new RestainError('INVALID_ARGUMENT', `EXIF orientation must be 1-8 but received ${orientation}`);
  const swap = orientation >= 5;
  const writer = RasterFileWriter.create(dstV, swap ? height : width, swap ? width : height, channels);
  const rowBytes = width * channels;
  const bandRows = Math.max(1, Math.min(height, Math.floor((options.bandBytes ?? DEFAULT_BAND_BYTES) / rowBytes)));
  const source = new Uint8Array(bandRows * rowBytes);
  const target = new Uint8Array(bandRows * rowBytes);
  const fd = fs.openSync(srcV, 'r');
  try {
    for (let y0 = 0; y0 < height; y0 += bandRows) {
      const rows = Math.min(bandRows, height - y0);
      fs.readSync(fd, source, 0, rows * rowBytes, VIPS_HEADER_BYTES + y0 * rowBytes);
      // The band lands in the output rectangle spanned by the images of its opposite corners.
      const ax = map.x0 + map.xy * y0;
      const ay = map.y0 + map.yy * y0;
      const bx = map.x0 + map.xx * (width - 1) + map.xy * (y0 + rows - 1);
      const by = map.y0 + map.yx * (width - 1) + map.yy * (y0 + rows - 1);
      const left = Math.min(ax, bx);
      const top = Math.min(ay, by);
      const regionWidth = Math.abs(bx - ax) + 1;
      // Output offsets move by a constant step per source pixel and per source row.
      const stepX = (map.yx * regionWidth + map.xx) * channels;
      const stepY = (map.yy * regionWidth + map.xy) * channels;
      remapBand(source, target, rows, width, channels, ((ay - top) * regionWidth + (ax - left)) * channels, stepX, stepY);
      writer.writeRegion(left, top, { width: regionWidth, height: (rows * width) / regionWidth, channels, data: target });
      // Let timers (e.g. a queue lease heartbeat) run between bands.
      await nextTurn();
    }
  } finally {
    fs.closeSync(fd);
    writer.close();
  }
}

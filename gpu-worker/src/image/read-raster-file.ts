import fs from 'node:fs';
import path from 'node:path';
import { type Raster, RestainError } from '@restain/shared';
import { VIPS_HEADER_BYTES, readVipsHeader } from './vips-header';

/** Bytes read per system call: bounds the temporary buffer when one band is picked out. */
const CHUNK_BYTES = 16 << 20;

/** Fill `target` from `position` of an open file (`name` for the error when the file ends first). */
export function readExactly(fd: number, target: Uint8Array, position: number, name: string): void {
  let done = 0;
  while (done < target.length) {
    const read = fs.readSync(fd, target, done, target.length - done, position + done);
    if (read === 0) throw new RestainError('CORRUPT_IMAGE', `${name} ends before its last pixel`);
    done += read;
  }
}

/**
 * Visit a .v raster file as consecutive bands of whole rows (at most ~16 MB each) with plain
 * reads: no libvips, no mapping. The band raster is reused between calls.
 */
export function forEachRowBand(vPath: string, visit: (y: number, band: Raster) => void): void {
  for (const { y, band } of rowBands(vPath)) visit(y, band);
}

/**
 * A .v raster file's rows as consecutive bands (at most ~16 MB each), read as they are asked
 * for; each band raster is reused by the next, and the file is closed when iteration ends.
 */
export function* rowBands(vPath: string): Generator<{ y: number; band: Raster }> {
  const { width, height, channels } = readVipsHeader(vPath);
  const rowBytes = width * channels;
  const rowsPerBand = Math.max(1, Math.min(height, Math.floor(CHUNK_BYTES / rowBytes)));
  const buffer = new Uint8Array(rowsPerBand * rowBytes);
  const fd = fs.openSync(vPath, 'r');
  try {
    for (let y = 0; y < height; y += rowsPerBand) {
      const rows = Math.min(rowsPerBand, height - y);
      const data = buffer.subarray(0, rows * rowBytes);
      readExactly(fd, data, VIPS_HEADER_BYTES + y * rowBytes, path.basename(vPath));
      yield { y, band: { width, height: rows, channels, data } };
    }
  } finally {
    fs.closeSync(fd);
  }
}

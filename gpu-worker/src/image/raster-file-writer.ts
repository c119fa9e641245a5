import fs from 'node:fs';
import path from 'node:path';
import { type Raster, RestainError } from '@restain/shared';
import { checkRasterSize, encodeVipsHeader, VIPS_HEADER_BYTES } from './vips-header';

/** Fill value of a new raster file: one value for every channel, or one per channel. */
export type RasterBackground = number | readonly number[];

/** Rows of background written per call while creating a file (~1 MiB). */
const FILL_CHUNK_BYTES = 1 << 20;

function backgroundPattern(background: RasterBackground, channels: 1 | 3): Uint8Array {
  const values = typeof background === 'number' ? new Array<number>(channels).fill(background) : [...background];
  if (values.length !== channels || values.some((v) => !Number.isInteger(v) || v < 0 || v > 255)) {
    throw new RestainError('INVALID_ARGUMENT', `background must be ${channels} whole number(s) in 0-255 but received ${JSON.stringify(background)}`);
  }
  return Uint8Array.from(values);
}

/**
 * Writes an 8-bit .v raster file tile by tile in any order with bounded memory: every row of a
 * region goes to its own file offset (positional writes), so the image is never held in memory.
 */
export class RasterFileWriter {
  private fd: number | null;

  private constructor(
    readonly path: string,
    readonly width: number,
    readonly height: number,
    readonly channels: 1 | 3,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Create (or replace) a width x height file of 1 (grey) or 3 (sRGB) channels, filled with background. */
  static create(filePath: string, width: number, height: number, channels: 1 | 3, background: RasterBackground = 0): RasterFileWriter {
    checkRasterSize(width, height);
    if (channels !== 1 && channels !== 3) {
      throw new RestainError('INVALID_ARGUMENT', `channels must be 1 or 3 but received ${channels}`);
    }
    const pattern = backgroundPattern(background, channels);
    const rowBytes = width * channels;
    const totalBytes = VIPS_HEADER_BYTES + rowBytes * height;
    let fd: number;
    try {
      fd = fs.openSync(filePath, 'w');
    } catch (error) {
      throw new RestainError('OUTPUT_FAILED', `cannot create ${path.basename(filePath)}: ${(error as Error).message}`, { cause: error });
    }
    try {
      fs.writeSync(fd, encodeVipsHeader({ width, height, channels }), 0, VIPS_HEADER_BYTES, 0);
      if (pattern.every((v) => v === 0)) {
        // A zero background needs no writes: extending the file leaves zeros (and a sparse file).
        fs.ftruncateSync(fd, totalBytes);
      } else {
        const rowsPerChunk = Math.max(1, Math.floor(FILL_CHUNK_BYTES / rowBytes));
        const chunk = new Uint8Array(rowBytes * Math.min(rowsPerChunk, height));
        for (let i = 0; i < chunk.length; i += channels) chunk.set(pattern, i);
        for (let y = 0; y < height; y += rowsPerChunk) {
          const rows = Math.min(rowsPerChunk, height - y);
          fs.writeSync(fd, chunk, 0, rows * rowBytes, VIPS_HEADER_BYTES + y * rowBytes);
        }
      }
    } catch (error) {
      fs.closeSync(fd);
      throw new RestainError('OUTPUT_FAILED', `cannot fill ${path.basename(filePath)}: ${(error as Error).message}`, { cause: error });
    }
    return new RasterFileWriter(filePath, width, height, channels, fd);
  }

  /**
   * Write a raster with its top-left corner at (x, y); the part outside the image is clipped,
   * so tiles with margins can be written as they come. Channels must match the file's.
   */
  writeRegion(x: number, y: number, raster: Raster): void {
    const fd = this.openFd();
    if (raster.channels !== this.channels) {
      throw new RestainError('INVALID_ARGUMENT', `${path.basename(this.path)} has ${this.channels} channel(s) but the raster has ${raster.channels}`);
    }
    if (raster.data.length < raster.width * raster.height * raster.channels) {
      throw new RestainError('INVALID_ARGUMENT', `a ${raster.width}x${raster.height}x${raster.channels} raster needs ${raster.width * raster.height * raster.channels} bytes but holds ${raster.data.length}`);
    }
    if (!Number.isInteger(x) || !Number.isInteger(y)) {
      throw new RestainError('INVALID_ARGUMENT', `a region position must be whole numbers but received (${x}, ${y})`);
    }
    const left = Math.max(0, x);
    const right = Math.min(this.width, x + raster.width);
    const top = Math.max(0, y);
    const bottom = Math.min(this.height, y + raster.height);
    if (right <= left || bottom <= top) return;
    const channels = this.channels;
    const length = (right - left) * channels;
    try {
      for (let row = top; row < bottom; row++) {
        const sourceOffset = ((row - y) * raster.width + (left - x)) * channels;
        const position = VIPS_HEADER_BYTES + (row * this.width + left) * channels;
        fs.writeSync(fd, raster.data, sourceOffset, length, position);
      }
    } catch (error) {
      throw new RestainError('OUTPUT_FAILED', `cannot write to ${path.basename(this.path)}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Flush and close the file; it is then a complete .v file that sharp/libvips can read. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    fs.closeSync(fd);
  }

  private openFd(): number {
    if (this.fd === null) throw new RestainError('INVALID_ARGUMENT', `${path.basename(this.path)} is already closed`);
    return this.fd;
  }
}

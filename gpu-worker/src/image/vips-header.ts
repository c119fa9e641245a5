import fs from 'node:fs';
import path from 'node:path';
import { RestainError } from '@restain/shared';

/**
 * libvips' native `.v` file: a 64-byte header, then raw interleaved pixels, then optional XML
 * metadata. libvips memory-maps it, so sharp reads any region of it without decoding the rest.
 * Layout: https://www.libvips.org/API/current/file-format.html
 */
export const VIPS_HEADER_BYTES = 64;

/** Magic number of a little-endian (Intel byte order) .v file. */
const VIPS_MAGIC = [0xb6, 0xa6, 0xf2, 0x08] as const;
const BAND_FORMAT_UCHAR = 0;
const CODING_NONE = 0;
/** VipsInterpretation values: how libvips (and sharp) treats the bands on output. */
const INTERPRETATION_B_W = 1;
const INTERPRETATION_SRGB = 22;

/** Width, height and band count of an 8-bit .v raster file. */
export interface VipsHeader {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
}

/** Check a raster size: positive whole numbers of pixels. */
export function checkRasterSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RestainError('INVALID_ARGUMENT', `a raster size must be positive whole numbers but received ${width}x${height}`);
  }
}

/** Bytes of pixel data a .v file of these dimensions holds (after the header). */
export function vipsPixelBytes(header: VipsHeader): number {
  return header.width * header.height * header.channels;
}

/** Encode the 64-byte header of an uncompressed 8-bit sRGB (3 bands) or B_W (1 band) .v file. */
export function encodeVipsHeader(header: VipsHeader): Uint8Array {
  const bytes = new Uint8Array(VIPS_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(VIPS_MAGIC, 0);
  view.setInt32(4, header.width, true);
  view.setInt32(8, header.height, true);
  view.setInt32(12, header.channels, true);
  view.setInt32(16, 8, true); // bits per band: unused by modern libvips, kept for old readers
  view.setInt32(20, BAND_FORMAT_UCHAR, true);
  view.setInt32(24, CODING_NONE, true);
  view.setInt32(28, header.channels === 3 ? INTERPRETATION_SRGB : INTERPRETATION_B_W, true);
  view.setFloat32(32, 1, true); // xres, pixels per mm: no physical scale is implied
  view.setFloat32(36, 1, true); // yres
  return bytes;
}

/** Read and check the header of a .v raster file written by this module or by sharp. */
export function readVipsHeader(filePath: string): VipsHeader {
  const name = path.basename(filePath);
  const bytes = new Uint8Array(VIPS_HEADER_BYTES);
  let read: number;
  let fileBytes: number;
  try {
    const fd = fs.openSync(filePath, 'r');
    try {
      read = fs.readSync(fd, bytes, 0, VIPS_HEADER_BYTES, 0);
      fileBytes = fs.fstatSync(fd).size;
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw new RestainError('INPUT_NOT_FOUND', `${name} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (read < VIPS_HEADER_BYTES || !VIPS_MAGIC.every((value, i) => bytes[i] === value)) {
    throw new RestainError('CORRUPT_IMAGE', `${name} is not a little-endian libvips .v file (its header does not start b6 a6 f2 08)`);
  }
  const view = new DataView(bytes.buffer);
  const width = view.getInt32(4, true);
  const height = view.getInt32(8, true);
  const channels = view.getInt32(12, true);
  const format = view.getInt32(20, true);
  const coding = view.getInt32(24, true);
  if (width < 1 || height < 1 || (channels !== 1 && channels !== 3) || format !== BAND_FORMAT_UCHAR || coding !== CODING_NONE) {
    throw new RestainError(
      'CORRUPT_IMAGE',
      `${name} is a .v file of ${width}x${height} px, ${channels} bands, format ${format}, coding ${coding}; expected 8-bit uncoded with 1 or 3 bands`,
    );
  }
  const header: VipsHeader = { width, height, channels: channels as 1 | 3 };
  if (fileBytes < VIPS_HEADER_BYTES + vipsPixelBytes(header)) {
    throw new RestainError('CORRUPT_IMAGE', `${name} is truncated: ${fileBytes} bytes, expected at least ${VIPS_HEADER_BYTES + vipsPixelBytes(header)}`);
  }
  return header;
}

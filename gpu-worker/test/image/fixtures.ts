import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import type { Raster } from '@restain/shared';

/** A fresh temporary directory for one test file's fixtures. */
export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'restain-image-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A deterministic RGB pattern with a distinct value in every channel: x, y and x+y gradients. */
export function patternRaster(width: number, height: number): Raster {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 5) & 255;
      data[i + 1] = (y * 7) & 255;
      data[i + 2] = (x + 2 * y) & 255;
    }
  }
  return { width, height, channels: 3, data };
}

/** A smooth gradient (lossy codecs keep it within a few levels). */
export function smoothRaster(width: number, height: number): Raster {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((x * 200) / (width - 1)) + 20;
      data[i + 1] = Math.round((y * 200) / (height - 1)) + 20;
      data[i + 2] = 120;
    }
  }
  return { width, height, channels: 3, data };
}

export function rasterInput(raster: Raster): Sharp {
  return sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels } });
}

/** Write a raster through `encode` (a sharp output chain) to dir/name; returns the path. */
export async function writeFixture(dir: string, name: string, raster: Raster, encode: (s: Sharp) => Sharp): Promise<string> {
  const filePath = path.join(dir, name);
  await encode(rasterInput(raster)).toFile(filePath);
  return filePath;
}

/** A 16-bit RGB image whose 8-bit reduction is `raster` (each value v stored as v * 257). */
export function sixteenBitInput(raster: Raster): Sharp {
  const wide = new Uint16Array(raster.data.length);
  for (let i = 0; i < wide.length; i++) wide[i] = raster.data[i] * 257;
  // sharp takes the sample depth from the typed array's type, so pass the Uint16Array itself.
  return sharp(wide, { raw: { width: raster.width, height: raster.height, channels: 3 } }).toColourspace('rgb16');
}

/** Copy a file keeping only its first `fraction` of bytes (a truncated upload). */
export function writeTruncatedCopy(source: string, target: string, fraction: number): string {
  const bytes = fs.readFileSync(source);
  fs.writeFileSync(target, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return target;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, payload: Uint8Array): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), payload]);
  const chunk = Buffer.alloc(12 + payload.length);
  chunk.writeUInt32BE(payload.length, 0);
  typed.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typed), 8 + payload.length);
  return chunk;
}

/**
 * A decompression-bomb PNG written by hand: a valid IHDR announcing width x height RGB pixels,
 * one tiny IDAT and IEND, all with correct CRCs. Under a kilobyte on disk.
 */
export function writePngBomb(filePath: string, width: number, height: number): string {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, adaptive filter, no interlace
  const idat = deflateSync(Buffer.alloc(1 + 3 * 64)); // the start of one filtered row of zeros
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  fs.writeFileSync(filePath, Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', new Uint8Array(0))]));
  return filePath;
}

/**
 * A minimal 8-bit greyscale TIFF written by hand with its IFD before the pixels (sharp writes
 * the IFD last), so cutting bytes off the end truncates pixel data and leaves a valid header.
 * Pixel (x, y) holds (x + y) & 255.
 */
export function writeGreyStripTiff(filePath: string, width: number, height: number): string {
  const entries: Array<[tag: number, type: number, value: number]> = [
    [256, 4, width], // ImageWidth (LONG)
    [257, 4, height], // ImageLength
    [258, 3, 8], // BitsPerSample (SHORT)
    [259, 3, 1], // Compression: none
    [262, 3, 1], // PhotometricInterpretation: black is zero
    [273, 4, 0], // StripOffsets, patched below
    [277, 3, 1], // SamplesPerPixel
    [278, 4, height], // RowsPerStrip: one strip
    [279, 4, width * height], // StripByteCounts
  ];
  const ifdBytes = 2 + entries.length * 12 + 4;
  const dataOffset = 8 + ifdBytes;
  entries[5][2] = dataOffset;
  const file = Buffer.alloc(dataOffset + width * height);
  file.write('II', 0, 'ascii');
  file.writeUInt16LE(42, 2);
  file.writeUInt32LE(8, 4);
  file.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    file.writeUInt16LE(tag, at);
    file.writeUInt16LE(type, at + 2);
    file.writeUInt32LE(1, at + 4);
    if (type === 3) file.writeUInt16LE(value, at + 8);
    else file.writeUInt32LE(value, at + 8);
  });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) file[dataOffset + y * width + x] = (x + y) & 255;
  fs.writeFileSync(filePath, file);
  return filePath;
}

/** Decode any image file to raw RGB for comparisons. */
export async function decodeRgb(filePath: string): Promise<Raster> {
  const { data, info } = await sharp(filePath, { limitInputPixels: false }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Largest absolute difference between two equally sized rasters. */
export function maxDifference(a: Raster, b: Raster): number {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new Error(`rasters differ in shape: ${a.width}x${a.height}x${a.channels} vs ${b.width}x${b.height}x${b.channels}`);
  }
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}

/** The RGB value of one pixel. */
export function pixelAt(raster: Raster, x: number, y: number): number[] {
  const i = (y * raster.width + x) * raster.channels;
  return Array.from(raster.data.subarray(i, i + raster.channels));
}

/** Largest per-channel difference between two colours. */
export function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((value, i) => Math.abs(value - b[i])));
}

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Raster } from '@restain/shared';
import { RasterFileWriter } from '../../src/image/raster-file-writer';
import { readVipsHeader, VIPS_HEADER_BYTES } from '../../src/image/vips-header';
import { makeTempDir, maxDifference, patternRaster, removeDir } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

/** Decode a .v file with sharp, keeping its band count. */
async function decodeV(vPath: string): Promise<Raster> {
  const { channels } = readVipsHeader(vPath);
  const { data, info } = await sharp(vPath).toColourspace(channels === 1 ? 'b-w' : 'srgb').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels as 1 | 3, data: new Uint8Array(data) };
}

/** Crop `source` at (x, y) to width x height (the tile a stitcher would write). */
function crop(source: Raster, x: number, y: number, width: number, height: number): Raster {
  const data = new Uint8Array(width * height * source.channels);
  for (let row = 0; row < height; row++) {
    const from = ((y + row) * source.width + x) * source.channels;
    data.set(source.data.subarray(from, from + width * source.channels), row * width * source.channels);
  }
  return { width, height, channels: source.channels, data };
}

describe('RasterFileWriter', () => {
  it('writes tiles in any order into a .v file sharp reads back exactly', async () => {
    const image = patternRaster(37, 23);
    const filePath = path.join(dir, 'tiles.v');
    const writer = RasterFileWriter.create(filePath, 37, 23, 3, [10, 20, 30]);
    // Four 20x12 tiles, last first; edge tiles overhang the image and are clipped.
    for (const [x, y] of [[20, 12], [0, 12], [20, 0], [0, 0]]) {
      const width = Math.min(20, 37 - x);
      const height = Math.min(12, 23 - y);
      const tile = crop(image, x, y, width, height);
      const overhanging: Raster = { width: 20, height: 12, channels: 3, data: new Uint8Array(20 * 12 * 3).fill(255) };
      for (let row = 0; row < height; row++) overhanging.data.set(tile.data.subarray(row * width * 3, (row + 1) * width * 3), row * 20 * 3);
      writer.writeRegion(x, y, overhanging);
    }
    writer.close();
    expect(fs.statSync(filePath).size).toBe(VIPS_HEADER_BYTES + 37 * 23 * 3);
    expect(maxDifference(await decodeV(filePath), image)).toBe(0);
  });

  it('fills unwritten pixels with the background and clips regions at negative offsets', async () => {
    const filePath = path.join(dir, 'background.v');
    const writer = RasterFileWriter.create(filePath, 30, 20, 3, [1, 2, 3]);
    writer.writeRegion(-2, -1, { width: 4, height: 3, channels: 3, data: new Uint8Array(36).fill(99) });
    writer.close();
    const decoded = await decodeV(filePath);
    expect(Array.from(decoded.data.subarray(0, 9))).toEqual([99, 99, 99, 99, 99, 99, 1, 2, 3]);
    expect(Array.from(decoded.data.subarray(30 * 1 * 3, 30 * 1 * 3 + 3))).toEqual([99, 99, 99]);
    expect(Array.from(decoded.data.subarray(30 * 2 * 3, 30 * 2 * 3 + 3))).toEqual([1, 2, 3]);
    expect(Array.from(decoded.data.subarray(-3))).toEqual([1, 2, 3]);
  });

  it('writes 1-channel masks (zero background without filling)', async () => {
    const filePath = path.join(dir, 'mask.v');
    const writer = RasterFileWriter.create(filePath, 1000, 800, 1);
    writer.writeRegion(998, 799, { width: 2, height: 1, channels: 1, data: Uint8Array.from([5, 6]) });
    writer.close();
    expect(readVipsHeader(filePath)).toEqual({ width: 1000, height: 800, channels: 1 });
    const decoded = await decodeV(filePath);
    expect(decoded.channels).toBe(1);
    expect(Array.from(decoded.data.subarray(-3))).toEqual([0, 5, 6]);
    expect(decoded.data.subarray(0, -2).every((v) => v === 0)).toBe(true);
  });

  it('fills a non-zero background larger than one fill chunk', async () => {
    const filePath = path.join(dir, 'big-fill.v');
    RasterFileWriter.create(filePath, 700, 600, 3, 200).close();
    const decoded = await decodeV(filePath);
    expect(decoded.data.every((v) => v === 200)).toBe(true);
  });

  it('rejects mismatched channels, short rasters, bad backgrounds and use after close', () => {
    const writer = RasterFileWriter.create(path.join(dir, 'errors.v'), 20, 20, 3);
    expect(() => writer.writeRegion(0, 0, { width: 2, height: 2, channels: 1, data: new Uint8Array(4) })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'errors.v has 3 channel(s) but the raster has 1' }),
    );
    expect(() => writer.writeRegion(0, 0, { width: 2, height: 2, channels: 3, data: new Uint8Array(5) })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    writer.close();
    expect(() => writer.writeRegion(0, 0, { width: 1, height: 1, channels: 3, data: new Uint8Array(3) })).toThrow(/already closed/);
    expect(() => RasterFileWriter.create(path.join(dir, 'bad.v'), 20, 20, 3, [1, 2])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => RasterFileWriter.create(path.join(dir, 'bad.v'), 20, 20, 1, 256)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => RasterFileWriter.create(path.join(dir, 'bad.v'), 0, 20, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('readVipsHeader', () => {
  it('rejects a file without the .v magic and a truncated .v file', () => {
    const notV = path.join(dir, 'not.v');
    fs.writeFileSync(notV, Buffer.alloc(100));
    expect(() => readVipsHeader(notV)).toThrow(expect.objectContaining({ code: 'CORRUPT_IMAGE' }));
    const whole = path.join(dir, 'whole.v');
    RasterFileWriter.create(whole, 10, 10, 3, 1).close();
    const cut = path.join(dir, 'cut.v');
    fs.writeFileSync(cut, fs.readFileSync(whole).subarray(0, 200));
    expect(() => readVipsHeader(cut)).toThrow(expect.objectContaining({ code: 'CORRUPT_IMAGE', message: 'cut.v is truncated: 200 bytes, expected at least 364' }));
  });
});

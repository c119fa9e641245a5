import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Raster } from '@restain/shared';
import { encodePng } from '../../src/image/encode-png';
import { RasterFileWriter } from '../../src/image/raster-file-writer';
import { resizeRasterFile } from '../../src/image/resize-raster-file';
import { readVipsHeader, VIPS_HEADER_BYTES } from '../../src/image/vips-header';
import { makeTempDir, maxDifference, patternRaster, removeDir } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

function writeV(name: string, raster: Raster): string {
  const filePath = path.join(dir, name);
  const writer = RasterFileWriter.create(filePath, raster.width, raster.height, raster.channels as 1 | 3);
  writer.writeRegion(0, 0, raster);
  writer.close();
  return filePath;
}

function greyPattern(width: number, height: number): Raster {
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = (i * 11) & 255;
  return { width, height, channels: 1, data };
}

async function decodePng(filePath: string, channels: 1 | 3 = 3): Promise<Raster> {
  const { data, info } = await sharp(filePath).toColourspace(channels === 1 ? 'b-w' : 'srgb').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels as 1 | 3, data: new Uint8Array(data) };
}

/** Chunk types of a PNG file, in order. */
function pngChunkTypes(filePath: string): string[] {
  const bytes = fs.readFileSync(filePath);
  const types: string[] = [];
  for (let at = 8; at < bytes.length; at += 12 + bytes.readUInt32BE(at)) types.push(bytes.toString('ascii', at + 4, at + 8));
  return types;
}

/** Nearest-neighbour 2x enlargement: each pixel becomes a 2x2 block. */
function doubled(source: Raster): Raster {
  const { channels } = source;
  const width = source.width * 2;
  const data = new Uint8Array(width * source.height * 2 * channels);
  for (let y = 0; y < source.height * 2; y++) {
    for (let x = 0; x < width; x++) {
      const from = ((y >> 1) * source.width + (x >> 1)) * channels;
      data.set(source.data.subarray(from, from + channels), (y * width + x) * channels);
    }
  }
  return { width, height: source.height * 2, channels, data };
}

describe('encodePng', () => {
  it('round-trips exact RGB pixels and writes no metadata chunks', async () => {
    const image = patternRaster(45, 31);
    const png = path.join(dir, 'rgb.png');
    await encodePng(writeV('rgb.v', image), png);
    expect(maxDifference(await decodePng(png), image)).toBe(0);
    // No text, EXIF, ICC or time chunks; libvips always states a pixel density (pHYs).
    expect(pngChunkTypes(png).filter((type) => type !== 'IDAT' && type !== 'pHYs')).toEqual(['IHDR', 'IEND']);
    expect(fs.readFileSync(png)[25]).toBe(2); // IHDR colour type: truecolour
  });

  it('writes a 1-band file as a greyscale PNG', async () => {
    const mask = greyPattern(33, 17);
    const png = path.join(dir, 'grey.png');
    await encodePng(writeV('grey.v', mask), png);
    expect(fs.readFileSync(png)[25]).toBe(0); // IHDR colour type: greyscale
    expect(maxDifference(await decodePng(png, 1), mask)).toBe(0);
  });

  it('resizes before encoding', async () => {
    const image = patternRaster(20, 16);
    const png = path.join(dir, 'doubled.png');
    await encodePng(writeV('small.v', image), png, { width: 40, height: 32, kernel: 'nearest' });
    expect(maxDifference(await decodePng(png), doubled(image))).toBe(0);
  });

  it('rejects a source that is not a .v file and writes nothing', async () => {
    const notV = path.join(dir, 'not-a.v');
    fs.writeFileSync(notV, 'hello');
    await expect(encodePng(notV, path.join(dir, 'never.png'))).rejects.toMatchObject({ code: 'CORRUPT_IMAGE' });
    expect(fs.existsSync(path.join(dir, 'never.png'))).toBe(false);
  });
});

describe('resizeRasterFile', () => {
  it('enlarges with nearest neighbour exactly and keeps 3 bands', async () => {
    const image = patternRaster(21, 13);
    const target = path.join(dir, 'resized.v');
    await resizeRasterFile(writeV('resize-src.v', image), target, 42, 26, 'nearest');
    expect(readVipsHeader(target)).toEqual({ width: 42, height: 26, channels: 3 });
    expect(fs.statSync(target).size).toBe(VIPS_HEADER_BYTES + 42 * 26 * 3);
    const { data } = await sharp(target).raw().toBuffer({ resolveWithObject: true });
    expect(maxDifference({ width: 42, height: 26, channels: 3, data: new Uint8Array(data) }, doubled(image))).toBe(0);
  });

  it('keeps a 1-band mask 1-band', async () => {
    const target = path.join(dir, 'mask-resized.v');
    await resizeRasterFile(writeV('mask-src.v', greyPattern(30, 30)), target, 15, 10, 'nearest');
    expect(readVipsHeader(target)).toEqual({ width: 15, height: 10, channels: 1 });
  });

  it.each(['lanczos3', 'linear'] as const)('keeps a flat image flat with %s', async (kernel) => {
    const flat: Raster = { width: 64, height: 48, channels: 3, data: new Uint8Array(64 * 48 * 3).fill(117) };
    const target = path.join(dir, `flat-${kernel}.v`);
    await resizeRasterFile(writeV(`flat-src-${kernel}.v`, flat), target, 23, 17, kernel);
    const data = await sharp(target).raw().toBuffer();
    expect(data.every((v) => v === 117)).toBe(true);
  });

  it('rejects a bad size, a target that is not .v and resizing a file onto itself', async () => {
    const source = writeV('self.v', patternRaster(16, 16));
    await expect(resizeRasterFile(source, path.join(dir, 'x.png'), 8, 8, 'nearest')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(resizeRasterFile(source, path.join(dir, 'x.v'), 0, 5, 'nearest')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(resizeRasterFile(source, source, 8, 8, 'nearest')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

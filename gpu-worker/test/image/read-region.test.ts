import path from 'node:path';
import type { Raster, Rect } from '@restain/shared';
import { openImage } from '../../src/image/open-image';
import { RasterFileWriter } from '../../src/image/raster-file-writer';
import { readRegion, readRegionMirrored } from '../../src/image/read-region';
import { makeTempDir, maxDifference, patternRaster, removeDir, writeFixture } from './fixtures';

/** Symmetric reflection (edge pixel repeated), the way libvips' mirror extend pads. */
function reflect(coordinate: number, size: number): number {
  const period = 2 * size;
  const m = ((coordinate % period) + period) % period;
  return m < size ? m : period - 1 - m;
}

/** Expected rect read from `source`, reflecting coordinates outside it. */
function expectedMirrored(source: Raster, rect: Rect): Raster {
  const { channels } = source;
  const data = new Uint8Array(rect.width * rect.height * channels);
  for (let y = 0; y < rect.height; y++) {
    const sy = reflect(rect.y + y, source.height);
    for (let x = 0; x < rect.width; x++) {
      const sx = reflect(rect.x + x, source.width);
      const from = (sy * source.width + sx) * channels;
      data.set(source.data.subarray(from, from + channels), (y * rect.width + x) * channels);
    }
  }
  return { width: rect.width, height: rect.height, channels, data };
}

let dir: string;
let vPath: string;
const source = patternRaster(50, 40);

beforeAll(async () => {
  dir = makeTempDir();
  const file = await writeFixture(dir, 'source.png', source, (s) => s.png());
  vPath = (await openImage(file, { workDir: dir, maxPixels: 1e6 })).path;
});
afterAll(() => removeDir(dir));

describe('readRegion', () => {
  it('reads exactly the pixels of a rectangle inside the image', async () => {
    const rect = { x: 10, y: 5, width: 8, height: 6 };
    const region = await readRegion(vPath, rect);
    expect([region.width, region.height, region.channels]).toEqual([8, 6, 3]);
    expect(maxDifference(region, expectedMirrored(source, rect))).toBe(0);
  });

  it('reads the whole image and the last pixel', async () => {
    expect(maxDifference(await readRegion(vPath, { x: 0, y: 0, width: 50, height: 40 }), source)).toBe(0);
    expect(Array.from((await readRegion(vPath, { x: 49, y: 39, width: 1, height: 1 })).data)).toEqual(Array.from(source.data.subarray(-3)));
  });

  it('rejects a rectangle past the edge or with a fractional or empty size', async () => {
    await expect(readRegion(vPath, { x: 45, y: 0, width: 8, height: 8 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('extends past the 50x40 px image') });
    await expect(readRegion(vPath, { x: 1.5, y: 0, width: 8, height: 8 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(readRegion(vPath, { x: 0, y: 0, width: 0, height: 8 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('keeps one channel for a 1-band raster file', async () => {
    const maskPath = path.join(dir, 'mask.v');
    const writer = RasterFileWriter.create(maskPath, 20, 20, 1, 7);
    writer.writeRegion(5, 5, { width: 2, height: 1, channels: 1, data: Uint8Array.from([200, 201]) });
    writer.close();
    const region = await readRegion(maskPath, { x: 4, y: 5, width: 4, height: 1 });
    expect(region.channels).toBe(1);
    expect(Array.from(region.data)).toEqual([7, 200, 201, 7]);
  });
});

describe('readRegionMirrored', () => {
  it.each([
    ['top-left corner', { x: -6, y: -4, width: 20, height: 16 }],
    ['bottom-right corner', { x: 40, y: 30, width: 20, height: 16 }],
    ['every side', { x: -3, y: -2, width: 56, height: 45 }],
  ])('mirror-pads the %s', async (_name, rect) => {
    const region = await readRegionMirrored(vPath, rect, 50, 40);
    expect([region.width, region.height]).toEqual([rect.width, rect.height]);
    expect(maxDifference(region, expectedMirrored(source, rect))).toBe(0);
  });

  it('turns an image smaller than a tile into a full tile', async () => {
    const rect = { x: -20, y: -30, width: 128, height: 128 };
    const region = await readRegionMirrored(vPath, rect, 50, 40);
    expect(maxDifference(region, expectedMirrored(source, rect))).toBe(0);
  });

  it('reads an inside rectangle unpadded', async () => {
    const rect = { x: 2, y: 3, width: 30, height: 20 };
    expect(maxDifference(await readRegionMirrored(vPath, rect, 50, 40), expectedMirrored(source, rect))).toBe(0);
  });

  it('rejects a rectangle that misses the image, or a wrong image size', async () => {
    await expect(readRegionMirrored(vPath, { x: 60, y: 0, width: 10, height: 10 }, 50, 40)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('does not overlap the 50x40 px image'),
    });
    await expect(readRegionMirrored(vPath, { x: 0, y: 0, width: 10, height: 10 }, 40, 50)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

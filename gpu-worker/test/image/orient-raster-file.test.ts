import path from 'node:path';
import sharp from 'sharp';
import type { Raster } from '@restain/shared';
import { orientRasterFile } from '../../src/image/orient-raster-file';
import { RasterFileWriter } from '../../src/image/raster-file-writer';
import { readVipsHeader } from '../../src/image/vips-header';
import { makeTempDir, maxDifference, patternRaster, rasterInput, removeDir } from './fixtures';

let dir: string;
let sourceV: string;
const image = patternRaster(37, 23);

beforeAll(() => {
  dir = makeTempDir();
  sourceV = path.join(dir, 'source.v');
  const writer = RasterFileWriter.create(sourceV, image.width, image.height, 3);
  writer.writeRegion(0, 0, image);
  writer.close();
});
afterAll(() => removeDir(dir));

async function decodeV(vPath: string, channels: 1 | 3): Promise<Raster> {
  const { data, info } = await sharp(vPath).toColourspace(channels === 1 ? 'b-w' : 'srgb').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels, data: new Uint8Array(data) };
}

describe('orientRasterFile', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('matches libvips autorotation for orientation %i across several bands', async (orientation) => {
    const png = path.join(dir, `o${orientation}.png`);
    await rasterInput(image).png().withMetadata({ orientation }).toFile(png);
    const { data, info } = await sharp(png).autoOrient().raw().toBuffer({ resolveWithObject: true });
    const target = path.join(dir, `o${orientation}.v`);
    // 4 source rows per band: 6 bands, the last one short.
    await orientRasterFile(sourceV, target, orientation, { bandBytes: 37 * 3 * 4 });
    const oriented = await decodeV(target, 3);
    expect([oriented.width, oriented.height]).toEqual([info.width, info.height]);
    expect(maxDifference(oriented, { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) })).toBe(0);
  });

  it('rotates a 1-band file clockwise', async () => {
    const maskV = path.join(dir, 'mask.v');
    const writer = RasterFileWriter.create(maskV, 3, 2, 1);
    writer.writeRegion(0, 0, { width: 3, height: 2, channels: 1, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
    writer.close();
    const target = path.join(dir, 'mask-6.v');
    await orientRasterFile(maskV, target, 6, { bandBytes: 3 });
    expect(readVipsHeader(target)).toEqual({ width: 2, height: 3, channels: 1 });
    expect(Array.from((await decodeV(target, 1)).data)).toEqual([4, 1, 5, 2, 6, 3]);
  });

  it('rejects an orientation outside 1-8', async () => {
    await expect(orientRasterFile(sourceV, path.join(dir, 'bad.v'), 9)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'EXIF orientation must be 1-8 but received 9' });
  });
});

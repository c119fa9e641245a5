import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { readPngRaster } from '../../src/image/read-png-raster';
import { makeTempDir, maxDifference, patternRaster, pixelAt, removeDir, smoothRaster, writeFixture, writeTruncatedCopy } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

describe('readPngRaster', () => {
  it('reads an RGB PNG exactly', async () => {
    const image = patternRaster(40, 24);
    const raster = await readPngRaster(await writeFixture(dir, 'Seg.png', image, (s) => s.png()), 3);
    expect(raster.channels).toBe(3);
    expect(maxDifference(raster, image)).toBe(0);
  });

  it('reads a greyscale PNG as one channel and an RGB PNG as its luminance', async () => {
    const grey = new Uint8Array(32 * 16).map((_, i) => (i * 3) & 255);
    const greyFile = path.join(dir, 'Marker.png');
    await sharp(grey, { raw: { width: 32, height: 16, channels: 1 } }).toColourspace('b-w').png().toFile(greyFile);
    const raster = await readPngRaster(greyFile, 1);
    expect([raster.width, raster.height, raster.channels]).toEqual([32, 16, 1]);
    expect(Array.from(raster.data)).toEqual(Array.from(grey));
    const white = await writeFixture(dir, 'white.png', { width: 16, height: 16, channels: 3, data: new Uint8Array(768).fill(255) }, (s) => s.png());
    expect((await readPngRaster(white, 1)).data.every((v) => v === 255)).toBe(true);
  });

  it('flattens alpha onto white and expands a palette', async () => {
    const rgba = new Uint8Array(16 * 16 * 4);
    for (let i = 0; i < 16 * 8; i++) rgba.set([0, 0, 255, 255], i * 4);
    const file = path.join(dir, 'alpha.png');
    await sharp(rgba, { raw: { width: 16, height: 16, channels: 4 } }).png({ palette: true }).toFile(file);
    const raster = await readPngRaster(file, 3);
    expect(pixelAt(raster, 3, 2)).toEqual([0, 0, 255]);
    expect(pixelAt(raster, 3, 12)).toEqual([255, 255, 255]);
  });

  it('validates like openImage: format, size limit, truncation, missing and empty files', async () => {
    const jpeg = await writeFixture(dir, 'seg.jpg', smoothRaster(32, 32), (s) => s.jpeg());
    await expect(readPngRaster(jpeg, 3)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: 'seg.jpg is a JPEG image (PNG expected)' });
    const big = await writeFixture(dir, 'big.png', patternRaster(100, 100), (s) => s.png());
    await expect(readPngRaster(big, 3, { maxPixels: 5000 })).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE', message: 'big.png is 100x100 px (10000 pixels), above the limit of 5000 pixels' });
    const cut = writeTruncatedCopy(await writeFixture(dir, 'whole.png', smoothRaster(120, 90), (s) => s.png({ compressionLevel: 0 })), path.join(dir, 'cut.png'), 0.5);
    await expect(readPngRaster(cut, 3)).rejects.toMatchObject({ code: 'CORRUPT_IMAGE' });
    await expect(readPngRaster(path.join(dir, 'none.png'), 3)).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    fs.writeFileSync(path.join(dir, 'zero.png'), '');
    await expect(readPngRaster(path.join(dir, 'zero.png'), 3)).rejects.toMatchObject({ code: 'INPUT_EMPTY' });
  });
});

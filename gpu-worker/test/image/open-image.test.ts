import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { Raster } from '@restain/shared';
import { openImage } from '../../src/image/open-image';
import { VIPS_HEADER_BYTES } from '../../src/image/vips-header';
import {
  colourDistance,
  decodeRgb,
  makeTempDir,
  maxDifference,
  patternRaster,
  pixelAt,
  rasterInput,
  removeDir,
  sixteenBitInput,
  smoothRaster,
  writeFixture,
  writeGreyStripTiff,
} from './fixtures';

let dir: string;
let workDir: string;
const MAX_PIXELS = 50_000_000;

beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));
beforeEach(() => {
  workDir = path.join(dir, `work-${Math.random().toString(36).slice(2)}`);
});

/** Open a file and return the normalised result with its pixels. */
async function openAndDecode(filePath: string, page?: number): Promise<{ pixels: Raster; result: Awaited<ReturnType<typeof openImage>> }> {
  const result = await openImage(filePath, { workDir, maxPixels: MAX_PIXELS, page });
  return { result, pixels: await decodeRgb(result.path) };
}

function solid(width: number, height: number, rgb: [number, number, number]): Raster {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
  return { width, height, channels: 3, data };
}

describe('openImage: accepted inputs', () => {
  it('normalises an RGB PNG into a metadata-free 8-bit sRGB .v file with exact pixels and facts', async () => {
    const pattern = patternRaster(40, 30);
    const file = await writeFixture(dir, 'rgb.png', pattern, (s) => s.png());
    const { result, pixels } = await openAndDecode(file);
    const bytes = fs.readFileSync(file);
    expect(result).toEqual({
      width: 40,
      height: 30,
      format: 'png',
      pages: 1,
      page: 0,
      sourceBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      path: path.join(workDir, 'input.v'),
    });
    expect(maxDifference(pixels, pattern)).toBe(0);
    // Header + pixels and nothing after: libvips' XML metadata block was cut.
    expect(fs.statSync(result.path).size).toBe(VIPS_HEADER_BYTES + 40 * 30 * 3);
  });

  it('expands a greyscale PNG to three equal channels', async () => {
    const grey = new Uint8Array(32 * 20);
    for (let i = 0; i < grey.length; i++) grey[i] = ((i % 32) * 5) & 255;
    const file = path.join(dir, 'grey.png');
    await sharp(grey, { raw: { width: 32, height: 20, channels: 1 } }).toColourspace('b-w').png().toFile(file);
    expect((await sharp(file).metadata()).channels).toBe(1);
    const { pixels } = await openAndDecode(file);
    expect(pixels.channels).toBe(3);
    expect(pixelAt(pixels, 7, 3)).toEqual([35, 35, 35]);
    expect(pixelAt(pixels, 31, 19)).toEqual([155, 155, 155]);
  });

  it('flattens a palette PNG with alpha onto white', async () => {
    const rgba = new Uint8Array(32 * 32 * 4);
    for (let y = 0; y < 32; y++) for (let x = 0; x < 16; x++) rgba.set([255, 0, 0, 255], (y * 32 + x) * 4);
    const file = path.join(dir, 'palette-alpha.png');
    await sharp(rgba, { raw: { width: 32, height: 32, channels: 4 } }).png({ palette: true }).toFile(file);
    const meta = await sharp(file).metadata();
    expect([meta.isPalette, meta.hasAlpha]).toEqual([true, true]);
    const { pixels } = await openAndDecode(file);
    expect(pixelAt(pixels, 3, 9)).toEqual([255, 0, 0]);
    expect(pixelAt(pixels, 20, 9)).toEqual([255, 255, 255]);
  });

  it.each([
    ['16-bit PNG', '16.png', (s: Sharp) => s.png()],
    ['16-bit TIFF', '16.tif', (s: Sharp) => s.tiff({ compression: 'lzw' })],
  ])('reduces a %s to 8 bits exactly', async (_name, fileName, encode) => {
    const pattern = patternRaster(36, 24);
    const file = path.join(dir, fileName);
    await encode(sixteenBitInput(pattern)).toFile(file);
    expect((await sharp(file).metadata()).depth).toBe('ushort');
    const { pixels } = await openAndDecode(file);
    expect(maxDifference(pixels, pattern)).toBe(0);
  });

  it('converts a CMYK JPEG to sRGB', async () => {
    const file = path.join(dir, 'cmyk.jpg');
    await rasterInput(solid(32, 32, [200, 60, 40])).toColourspace('cmyk').jpeg({ quality: 95 }).toFile(file);
    expect((await sharp(file).metadata()).space).toBe('cmyk');
    const { pixels } = await openAndDecode(file);
    // Colour-managed round trip through a CMYK profile: close to the original, not band-shuffled.
    expect(colourDistance(pixelAt(pixels, 16, 16), [200, 60, 40])).toBeLessThanOrEqual(30);
  });

  it('decodes a JPEG within codec tolerance', async () => {
    const smooth = smoothRaster(64, 48);
    const file = await writeFixture(dir, 'plain.jpg', smooth, (s) => s.jpeg({ quality: 95 }));
    const { result, pixels } = await openAndDecode(file);
    expect(result.format).toBe('jpeg');
    expect(maxDifference(pixels, smooth)).toBeLessThanOrEqual(8);
  });

  it('applies EXIF orientation 6 (rotate 90° clockwise) before anything else', async () => {
    const stored = solid(40, 20, [220, 20, 20]);
    for (let y = 0; y < 20; y++) for (let x = 20; x < 40; x++) stored.data.set([20, 20, 220], (y * 40 + x) * 3);
    const file = path.join(dir, 'oriented.jpg');
    await rasterInput(stored).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(file);
    expect((await sharp(file).metadata()).orientation).toBe(6);
    const { result, pixels } = await openAndDecode(file);
    expect([result.width, result.height]).toEqual([20, 40]);
    // The stored left (red) half becomes the top half.
    expect(colourDistance(pixelAt(pixels, 10, 5), [220, 20, 20])).toBeLessThanOrEqual(10);
    expect(colourDistance(pixelAt(pixels, 10, 34), [20, 20, 220])).toBeLessThanOrEqual(10);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('applies EXIF orientation %i exactly as libvips autorotation does', async (orientation) => {
    const file = path.join(dir, `orientation-${orientation}.png`);
    await rasterInput(patternRaster(24, 17)).png().withMetadata({ orientation }).toFile(file);
    const { data, info } = await sharp(file).autoOrient().raw().toBuffer({ resolveWithObject: true });
    const expected: Raster = { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
    const { result, pixels } = await openAndDecode(file);
    expect([result.width, result.height]).toEqual(orientation >= 5 ? [17, 24] : [24, 17]);
    expect(maxDifference(pixels, expected)).toBe(0);
    // The unrotated intermediate of the two-pass decode is gone.
    expect(fs.readdirSync(workDir)).toEqual(['input.v']);
  });

  it.each([
    ['tiled TIFF', 'tiled.tif', (s: Sharp) => s.tiff({ tile: true, tileWidth: 32, tileHeight: 32, compression: 'deflate' })],
    ['BigTIFF', 'big.tif', (s: Sharp) => s.tiff({ bigtiff: true, compression: 'lzw' })],
    ['lossless WebP', 'lossless.webp', (s: Sharp) => s.webp({ lossless: true })],
  ])('decodes a %s exactly', async (_name, fileName, encode) => {
    const pattern = patternRaster(100, 70);
    const file = await writeFixture(dir, fileName, pattern, encode);
    const { result, pixels } = await openAndDecode(file);
    expect(result.format).toBe(fileName.endsWith('.webp') ? 'webp' : 'tiff');
    expect(maxDifference(pixels, pattern)).toBe(0);
  });

  it('reads a BigTIFF (its header says 43, not 42)', async () => {
    const file = await writeFixture(dir, 'big-check.tif', patternRaster(20, 20), (s) => s.tiff({ bigtiff: true }));
    expect(fs.readFileSync(file).readUInt16LE(2)).toBe(43);
    expect((await openImage(file, { workDir, maxPixels: MAX_PIXELS })).format).toBe('tiff');
  });

  it('reads a hand-written strip TIFF', async () => {
    const file = writeGreyStripTiff(path.join(dir, 'strip.tif'), 64, 48);
    const { pixels } = await openAndDecode(file);
    expect(pixelAt(pixels, 10, 5)).toEqual([15, 15, 15]);
    expect(pixelAt(pixels, 63, 47)).toEqual([110, 110, 110]);
  });

  describe('multi-page TIFF', () => {
    let file: string;
    beforeAll(async () => {
      const pages = await Promise.all(
        ([[255, 0, 0], [0, 0, 255], [0, 255, 0]] as Array<[number, number, number]>).map((rgb) => rasterInput(solid(24, 24, rgb)).png().toBuffer()),
      );
      file = path.join(dir, 'pages.tif');
      await sharp(pages, { join: { animated: true } }).tiff({ compression: 'lzw' }).toFile(file);
    });

    it('decodes page 0 by default and reports the page count', async () => {
      const { result, pixels } = await openAndDecode(file);
      expect([result.pages, result.page, result.width, result.height]).toEqual([3, 0, 24, 24]);
      expect(pixelAt(pixels, 5, 5)).toEqual([255, 0, 0]);
    });

    it('decodes the page asked for', async () => {
      const { result, pixels } = await openAndDecode(file, 1);
      expect(result.page).toBe(1);
      expect(pixelAt(pixels, 5, 5)).toEqual([0, 0, 255]);
    });

    it('rejects a page that does not exist, naming the pages there are', async () => {
      await expect(openImage(file, { workDir, maxPixels: MAX_PIXELS, page: 3 })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: 'pages.tif has 3 pages (0-2); page 3 does not exist',
      });
    });
  });
});

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { RestainError } from '@restain/shared';
import { validateUpload } from '../../src/uploads/validate-upload';
import {
  decodeRgb,
  makeTempDir,
  patternRaster,
  pixelAt,
  rasterInput,
  removeDir,
  sixteenBitInput,
  smoothRaster,
  writeFixture,
  writePngBomb,
  writeTruncatedCopy,
} from '../../../gpu-worker/test/image/fixtures';

let dir: string;
let count = 0;
const outPath = () => path.join(dir, `stored-${++count}.png`);

beforeAll(() => (dir = makeTempDir()));
afterAll(() => removeDir(dir));

async function expectRejected(file: string, code: string, message: RegExp, options: { maxPixels?: number; displayName?: string } = {}): Promise<void> {
  const out = outPath();
  const error = await validateUpload(file, { maxPixels: options.maxPixels ?? 50_000_000, outPath: out, displayName: options.displayName }).then(
    () => new Error(`${path.basename(file)} was accepted`),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RestainError);
  expect((error as RestainError).code).toBe(code);
  expect((error as RestainError).message).toMatch(message);
  // Nothing half-written is left where the stored input would be, and no scratch folder either.
  expect(fs.existsSync(out)).toBe(false);
  expect(fs.readdirSync(dir).filter((name) => name.startsWith('.validate-'))).toEqual([]);
}

async function storedMetadata(file: string) {
  return sharp(file).metadata();
}

describe('validateUpload: rejected uploads', () => {
  it('rejects zero bytes, text named .png and an SVG by content, naming the upload', async () => {
    const empty = path.join(dir, 'u1');
    fs.writeFileSync(empty, '');
    await expectRejected(empty, 'INPUT_EMPTY', /^scan\.png is empty \(0 bytes/, { displayName: 'scan.png' });
    const text = path.join(dir, 'notes.png');
    fs.writeFileSync(text, 'id,x,y\n1,2,3\n');
    await expectRejected(text, 'UNSUPPORTED_FORMAT', /^notes\.png is not an image: it starts with text/);
    const svg = path.join(dir, 'u3');
    fs.writeFileSync(svg, '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"/>');
    await expectRejected(svg, 'UNSUPPORTED_FORMAT', /^drawing\.png is not a supported image: it is an SVG/, { displayName: 'drawing.png' });
  });

  it('rejects truncated PNG, JPEG and TIFF files', async () => {
    const raster = smoothRaster(400, 300);
    const png = await writeFixture(dir, 'whole.png', raster, (s) => s.png());
    await expectRejected(writeTruncatedCopy(png, path.join(dir, 'cut.png'), 0.5), 'CORRUPT_IMAGE', /cut\.png is corrupt or truncated/);
    const jpeg = await writeFixture(dir, 'whole.jpg', raster, (s) => s.jpeg());
    await expectRejected(writeTruncatedCopy(jpeg, path.join(dir, 'cut.jpg'), 0.5), 'CORRUPT_IMAGE', /cut\.jpg is corrupt or truncated/);
    const tiff = await writeFixture(dir, 'whole.tif', raster, (s) => s.tiff({ compression: 'lzw' }));
    await expectRejected(writeTruncatedCopy(tiff, path.join(dir, 'cut.tif'), 0.5), 'CORRUPT_IMAGE', /cut\.tif/);
  });

  it('rejects a 30000x30000 PNG bomb from its header, before decoding', async () => {
    const bomb = writePngBomb(path.join(dir, 'bomb.png'), 30000, 30000);
    const started = Date.now();
    await expectRejected(bomb, 'IMAGE_TOO_LARGE', /^bomb\.png is 30000x30000 px \(900\.0 MP\), above the limit of 100\.0 MP/, { maxPixels: 10000 * 10000 });
    // Decoding 900 MP would take minutes and gigabytes; the header check takes milliseconds.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects an image below the 16 px minimum (10x10)', async () => {
    const tiny = await writeFixture(dir, 'tiny.png', patternRaster(10, 10), (s) => s.png());
    await expectRejected(tiny, 'IMAGE_TOO_SMALL', /tiny\.png is 10x10 px, smaller than the minimum/);
  });
});

describe('validateUpload: stored inputs', () => {
  it('stores a lossless 8-bit RGB PNG whose checksum and size it reports, typed by content', async () => {
    const raster = patternRaster(64, 48);
    // A JPEG named .png: the format comes from the bytes.
    const file = await writeFixture(dir, 'really-a-jpeg.png', smoothRaster(64, 48), (s) => s.jpeg({ quality: 95 }));
    const out = outPath();
    const result = await validateUpload(file, { maxPixels: 10_000, outPath: out });
    expect(result.format).toBe('jpeg');
    expect(result.sha256).toBe(createHash('sha256').update(fs.readFileSync(out)).digest('hex'));
    expect(result.sizeBytes).toBe(fs.statSync(out).size);
    const png = await writeFixture(dir, 'exact.png', raster, (s) => s.png());
    const exactOut = outPath();
    expect(await validateUpload(png, { maxPixels: 10_000, outPath: exactOut })).toMatchObject({ format: 'png', width: 64, height: 48 });
    const stored = await decodeRgb(exactOut);
    expect(Buffer.from(stored.data).equals(Buffer.from(raster.data))).toBe(true);
    expect(await storedMetadata(exactOut)).toMatchObject({ format: 'png', channels: 3, depth: 'uchar' });
  });

  it('applies the EXIF orientation and strips EXIF text, orientation and ICC data', async () => {
    // 60 wide x 40 high as stored, a red mark at the stored top-left; orientation 6 shows it rotated 90° clockwise.
    const raster = patternRaster(60, 40);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) raster.data.set([255, 0, 0], (y * 60 + x) * 3);
    const file = path.join(dir, 'camera.jpg');
    await rasterInput(raster)
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { ImageDescription: 'PATIENT-NAME-SECRET' } })
      .withIccProfile('srgb')
      .toFile(file);
    expect(fs.readFileSync(file).includes('PATIENT-NAME-SECRET')).toBe(true);
    const out = outPath();
    const result = await validateUpload(file, { maxPixels: 10_000, outPath: out });
    expect(result).toMatchObject({ width: 40, height: 60 });
    const meta = await storedMetadata(out);
    expect(meta).toMatchObject({ width: 40, height: 60, format: 'png' });
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(fs.readFileSync(out).includes('PATIENT-NAME-SECRET')).toBe(false);
    // Rotated 90° clockwise: the stored top-left corner is now the top-right one.
    const stored = await decodeRgb(out);
    expect(pixelAt(stored, 37, 2)[0]).toBeGreaterThan(200);
    expect(pixelAt(stored, 2, 2)[0]).toBeLessThan(200);
  });

  it('converts CMYK JPEG, 16-bit TIFF, grey, palette and alpha inputs to 8-bit sRGB', async () => {
    const raster = smoothRaster(50, 40);
    const cmyk = await writeFixture(dir, 'print.jpg', raster, (s) => s.toColourspace('cmyk').jpeg({ quality: 95 }));
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const sixteen = path.join(dir, 'deep.tif');
    await sixteenBitInput(raster).tiff({ compression: 'lzw' }).toFile(sixteen);
    expect((await sharp(sixteen).metadata()).depth).toBe('ushort');
    const grey = await writeFixture(dir, 'grey.png', raster, (s) => s.greyscale().png());
    const palette = await writeFixture(dir, 'palette.png', raster, (s) => s.png({ palette: true }));
    const alpha = path.join(dir, 'alpha.png');
    await sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0 } } }).png().toFile(alpha);
    const stored: Record<string, string> = {};
    for (const [name, file] of Object.entries({ cmyk, sixteen, grey, palette, alpha })) {
      stored[name] = outPath();
      await validateUpload(file, { maxPixels: 10_000, outPath: stored[name] });
      expect(await storedMetadata(stored[name])).toMatchObject({ channels: 3, depth: 'uchar', space: 'srgb', hasAlpha: false });
    }
    // 16-bit values v * 257 come back as v (exact reduction), and transparent pixels as white.
    const deep = await decodeRgb(stored.sixteen);
    expect(Buffer.from(deep.data).equals(Buffer.from(raster.data))).toBe(true);
    expect(pixelAt(await decodeRgb(stored.alpha), 5, 5)).toEqual([255, 255, 255]);
  });
});

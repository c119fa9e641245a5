import fs from 'node:fs';
import path from 'node:path';
import type { Sharp } from 'sharp';
import { RestainError } from '@restain/shared';
import { openImage } from '../../src/image/open-image';
import {
  makeTempDir,
  patternRaster,
  removeDir,
  smoothRaster,
  writeFixture,
  writeGreyStripTiff,
  writePngBomb,
  writeTruncatedCopy,
} from './fixtures';

let dir: string;
let workDir: string;

beforeAll(() => {
  dir = makeTempDir();
  workDir = path.join(dir, 'work');
});
afterAll(() => removeDir(dir));

/** Expect openImage to reject with a RestainError of `code` whose one-line message matches. */
async function expectRejection(filePath: string, code: string, message: RegExp | string, maxPixels = 50_000_000): Promise<RestainError> {
  const error = await openImage(filePath, { workDir, maxPixels }).then(
    () => {
      throw new Error(`${path.basename(filePath)} was accepted`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RestainError);
  const restainError = error as RestainError;
  expect(restainError.code).toBe(code);
  expect(restainError.message).not.toContain('\n');
  if (typeof message === 'string') expect(restainError.message).toBe(message);
  else expect(restainError.message).toMatch(message);
  // A failed open leaves no partial normalised file behind.
  expect(fs.existsSync(path.join(workDir, 'input.v'))).toBe(false);
  return restainError;
}

describe('openImage: rejected inputs', () => {
  it('rejects a missing file', async () => {
    await expectRejection(path.join(dir, 'missing.png'), 'INPUT_NOT_FOUND', 'missing.png does not exist');
  });

  it('rejects a directory', async () => {
    await expectRejection(dir, 'INPUT_NOT_FOUND', /is not a regular file/);
  });

  it('rejects a zero-byte file', async () => {
    const file = path.join(dir, 'empty.png');
    fs.writeFileSync(file, '');
    await expectRejection(file, 'INPUT_EMPTY', 'empty.png is empty (0 bytes; an image file expected)');
  });

  it('rejects a text file named .png by its content', async () => {
    const file = path.join(dir, 'notes.png');
    fs.writeFileSync(file, 'cell_id,x,y\n1,10,20\n');
    await expectRejection(file, 'UNSUPPORTED_FORMAT', 'notes.png is not an image: it starts with text (PNG, JPEG, TIFF or WebP expected)');
  });

  it('rejects an SVG', async () => {
    const file = path.join(dir, 'vector.png');
    fs.writeFileSync(file, '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle r="20"/></svg>');
    await expectRejection(file, 'UNSUPPORTED_FORMAT', 'vector.png is not a supported image: it is an SVG (vector graphics) (PNG, JPEG, TIFF or WebP expected)');
  });

  it('rejects a GIF and a PDF, naming them', async () => {
    const gif = await writeFixture(dir, 'anim.gif', patternRaster(20, 20), (s) => s.gif());
    await expectRejection(gif, 'UNSUPPORTED_FORMAT', /anim\.gif is not a supported image: it is a GIF/);
    const pdf = path.join(dir, 'scan.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n');
    await expectRejection(pdf, 'UNSUPPORTED_FORMAT', /scan\.pdf is not a supported image: it is a PDF/);
  });

  it('rejects a 30000x30000 PNG bomb from its header: fast, without decoding', async () => {
    const file = writePngBomb(path.join(dir, 'bomb.png'), 30_000, 30_000);
    expect(fs.statSync(file).size).toBeLessThan(1024);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    await expectRejection(file, 'IMAGE_TOO_LARGE', 'bomb.png is 30000x30000 px (900.0 MP), above the limit of 50.0 MP');
    // Decoding 900 MP (2.7 GB of RGB) would take seconds and gigabytes; a header read takes neither.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('finds a bomb under the pixel limit corrupt when decoding runs out of data', async () => {
    const file = writePngBomb(path.join(dir, 'short-bomb.png'), 4000, 4000);
    await expectRejection(file, 'CORRUPT_IMAGE', /^short-bomb\.png is corrupt or truncated: /);
  });

  it('rejects a 10x10 image as smaller than one nucleus', async () => {
    const file = await writeFixture(dir, 'tiny.png', patternRaster(10, 10), (s) => s.png());
    await expectRejection(file, 'IMAGE_TOO_SMALL', 'tiny.png is 10x10 px, smaller than the minimum 16x16 px (about one nucleus)');
  });

  it('rejects a strip thinner than 16 px', async () => {
    const file = await writeFixture(dir, 'strip.png', patternRaster(400, 12), (s) => s.png());
    await expectRejection(file, 'IMAGE_TOO_SMALL', /strip\.png is 400x12 px/);
  });

  it.each([
    ['PNG', 'cut.png', (s: Sharp) => s.png({ compressionLevel: 0 })],
    ['JPEG', 'cut.jpg', (s: Sharp) => s.jpeg({ quality: 90 })],
  ])('rejects a truncated %s as corrupt', async (_name, fileName, encode) => {
    const whole = await writeFixture(dir, `whole-${fileName}`, smoothRaster(160, 120), encode);
    const cut = writeTruncatedCopy(whole, path.join(dir, fileName), 0.6);
    await expectRejection(cut, 'CORRUPT_IMAGE', new RegExp(`^${fileName.replace('.', '\\.')} is corrupt or truncated: `));
  });

  it('rejects a TIFF whose pixel data was cut off', async () => {
    const whole = writeGreyStripTiff(path.join(dir, 'whole-strip.tif'), 64, 48);
    const cut = writeTruncatedCopy(whole, path.join(dir, 'cut-strip.tif'), 0.7);
    await expectRejection(cut, 'CORRUPT_IMAGE', /^cut-strip\.tif is corrupt or truncated: .*[Rr]ead error/);
  });

  it('rejects a TIFF whose directory was cut off', async () => {
    const whole = await writeFixture(dir, 'whole.tif', smoothRaster(64, 48), (s) => s.tiff({ compression: 'none' }));
    const cut = writeTruncatedCopy(whole, path.join(dir, 'cut.tif'), 0.6);
    await expectRejection(cut, 'CORRUPT_IMAGE', /^cut\.tif has a corrupt or truncated TIFF header: /);
  });

  it('rejects a PNG signature followed by garbage', async () => {
    const file = path.join(dir, 'garbage.png');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 0x5a)]));
    await expectRejection(file, 'CORRUPT_IMAGE', /^garbage\.png has a corrupt or truncated PNG header: /);
  });

  it('rejects invalid options', async () => {
    const file = await writeFixture(dir, 'ok.png', patternRaster(20, 20), (s) => s.png());
    await expect(openImage(file, { workDir, maxPixels: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(openImage(file, { workDir, maxPixels: 1e6, page: -1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'page must be a whole number >= 0 but received -1',
    });
    await expect(openImage(file, { workDir, maxPixels: 1e6, page: 1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'ok.png has 1 page (page 0); page 1 does not exist',
    });
  });
});

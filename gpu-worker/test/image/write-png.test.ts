import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Raster } from '@restain/shared';
import { writePngBands } from '../../src/image/write-png';
import { makeTempDir, patternRaster, removeDir } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

/** The raster's rows [y, y + rows) as a band sharing its memory. */
function bandOf(raster: Raster, y: number, rows: number): Raster {
  const rowBytes = raster.width * raster.channels;
  return { width: raster.width, height: rows, channels: raster.channels, data: raster.data.subarray(y * rowBytes, (y + rows) * rowBytes) };
}

function* bands(raster: Raster, rowsPerBand: number): Generator<Raster> {
  for (let y = 0; y < raster.height; y += rowsPerBand) yield bandOf(raster, y, Math.min(rowsPerBand, raster.height - y));
}

describe('writePngBands', () => {
  it('writes a PNG that decodes to exactly the RGB rows given, band by band', async () => {
    const raster = patternRaster(301, 97);
    const file = path.join(dir, 'rgb.png');
    await writePngBands(file, 301, 97, 3, bands(raster, 10));
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 301, height: 97, channels: 3, format: 'raw' });
    expect(new Uint8Array(data)).toEqual(raster.data);
    expect((await sharp(file).metadata()).format).toBe('png');
  });

  it('writes grey images as one-channel PNG', async () => {
    const grey: Raster = { width: 64, height: 5, channels: 1, data: Uint8Array.from({ length: 320 }, (_, i) => (i * 7) % 256) };
    const file = path.join(dir, 'grey.png');
    await writePngBands(file, 64, 5, 1, bands(grey, 2));
    expect((await sharp(file).metadata()).channels).toBe(1);
    const { data } = await sharp(file).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    expect(new Uint8Array(data)).toEqual(grey.data);
  });

  it('takes a band buffer the producer reuses, and a large image in many bands', async () => {
    const raster = patternRaster(2000, 700);
    const file = path.join(dir, 'reused.png');
    function* reused(): Generator<Raster> {
      const buffer = new Uint8Array(2000 * 3 * 64);
      for (let y = 0; y < 700; y += 64) {
        const band = bandOf(raster, y, Math.min(64, 700 - y));
        buffer.set(band.data);
        yield { ...band, data: buffer.subarray(0, band.data.length) };
      }
    }
    await writePngBands(file, 2000, 700, 3, reused());
    const { data } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    expect(Buffer.compare(data, Buffer.from(raster.data))).toBe(0);
  });

  it('rejects too few rows or a band of another shape, leaving no file', async () => {
    const raster = patternRaster(20, 10);
    const short = path.join(dir, 'short.png');
    await expect(writePngBands(short, 20, 11, 3, bands(raster, 4))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'Expected 11 rows but received 10' });
    expect(fs.existsSync(short)).toBe(false);
    const wide = path.join(dir, 'wide.png');
    await expect(writePngBands(wide, 19, 10, 3, bands(raster, 4))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'Expected 19-pixel rows of 3 channel(s) but received a 20x4x3 band',
    });
    expect(fs.existsSync(wide)).toBe(false);
  });

  it('fails with OUTPUT_FAILED naming the file when it cannot be written', async () => {
    const file = path.join(dir, 'missing-folder', 'out.png');
    await expect(writePngBands(file, 20, 10, 3, bands(patternRaster(20, 10), 4))).rejects.toMatchObject({ code: 'OUTPUT_FAILED', message: expect.stringContaining(`cannot write ${file}`) });
  });

  it('closes the producer at the first bad band, and asks for none when the file cannot be created', async () => {
    let produced = 0;
    let closed = false;
    function* producer(): Generator<Raster> {
      try {
        for (let y = 0; y < 1000; y++) {
          produced++;
          yield bandOf(patternRaster(y === 5 ? 21 : 20, 1), 0, 1);
        }
      } finally {
        closed = true;
      }
    }
    await expect(writePngBands(path.join(dir, 'bad-band.png'), 20, 1000, 3, producer())).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(closed).toBe(true);
    expect(produced).toBe(6);
    produced = 0;
    await expect(writePngBands(path.join(dir, 'nowhere', 'x.png'), 20, 1000, 3, producer())).rejects.toMatchObject({ code: 'OUTPUT_FAILED' });
    expect(produced).toBe(0);
  });
});

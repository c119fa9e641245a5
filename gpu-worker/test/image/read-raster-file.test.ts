import path from 'node:path';
import { type Raster } from '@restain/shared';
import { RasterFileWriter, forEachRowBand } from '../../src/image';
import { makeTempDir, patternRaster, removeDir } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

/** The whole file, gathered band by band. */
function readWhole(file: string): Raster {
  const bands: Raster[] = [];
  forEachRowBand(file, (_, band) => bands.push({ ...band, data: band.data.slice() }));
  const { width, channels } = bands[0];
  const data = new Uint8Array(bands.reduce((sum, b) => sum + b.data.length, 0));
  let at = 0;
  for (const b of bands) {
    data.set(b.data, at);
    at += b.data.length;
  }
  return { width, height: bands.reduce((sum, b) => sum + b.height, 0), channels, data };
}

describe('forEachRowBand', () => {
  it('read back exactly what RasterFileWriter wrote, whole or band by band', () => {
    const raster = patternRaster(37, 23);
    const file = path.join(dir, 'pattern.v');
    const writer = RasterFileWriter.create(file, 37, 23, 3);
    writer.writeRegion(0, 0, raster);
    writer.close();
    expect(readWhole(file)).toEqual({ width: 37, height: 23, channels: 3, data: raster.data });
    const rows: number[] = [];
    const copy = new Uint8Array(raster.data.length);
    forEachRowBand(file, (y, band) => {
      rows.push(y);
      copy.set(band.data, y * 37 * 3);
    });
    expect(rows[0]).toBe(0);
    expect(copy).toEqual(raster.data);
  });

  it('reads grey files as one channel', () => {
    const file = path.join(dir, 'grey.v');
    RasterFileWriter.create(file, 4, 4, 1, 7).close();
    expect(readWhole(file)).toEqual({ width: 4, height: 4, channels: 1, data: new Uint8Array(16).fill(7) });
  });
});

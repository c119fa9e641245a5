import path from 'node:path';
import { RasterFileWriter, forEachRowBand, readRasterFile } from '../../src/image';
import { makeTempDir, patternRaster, removeDir } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

describe('readRasterFile and forEachRowBand', () => {
  it('read back exactly what RasterFileWriter wrote, whole or band by band', () => {
    const raster = patternRaster(37, 23);
    const file = path.join(dir, 'pattern.v');
    const writer = RasterFileWriter.create(file, 37, 23, 3);
    writer.writeRegion(0, 0, raster);
    writer.close();
    expect(readRasterFile(file)).toEqual({ width: 37, height: 23, channels: 3, data: raster.data });
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
    expect(readRasterFile(file)).toEqual({ width: 4, height: 4, channels: 1, data: new Uint8Array(16).fill(7) });
  });
});

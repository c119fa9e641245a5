import path from 'node:path';
import { RasterFileWriter, readRasterFile } from '../../src/image';
import { makeTempDir, patternRaster, removeDir } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

describe('readRasterFile', () => {
  it('reads back exactly what RasterFileWriter wrote, whole or one band', () => {
    const raster = patternRaster(37, 23);
    const file = path.join(dir, 'pattern.v');
    const writer = RasterFileWriter.create(file, 37, 23, 3);
    writer.writeRegion(0, 0, raster);
    writer.close();
    expect(readRasterFile(file)).toEqual({ width: 37, height: 23, channels: 3, data: raster.data });
    const green = readRasterFile(file, { band: 1 });
    expect(green.channels).toBe(1);
    expect(Array.from(green.data)).toEqual(Array.from(raster.data.filter((_, i) => i % 3 === 1)));
  });

  it('refuses a band the file does not have', () => {
    const file = path.join(dir, 'grey.v');
    RasterFileWriter.create(file, 4, 4, 1, 7).close();
    expect(readRasterFile(file).data).toEqual(new Uint8Array(16).fill(7));
    expect(() => readRasterFile(file, { band: 2 })).toThrow(/band below 1/);
  });
});

import path from 'node:path';
import sharp from 'sharp';
import { type Raster, RestainError } from '@restain/shared';
import { firstLine } from './inspect-image-file';

/**
 * Read a whole .v raster file into memory, optionally one band of it as grey (e.g. the Marker
 * channel, whose three bands are equal). For post-processing, which needs the whole map.
 */
export async function readRasterFile(vPath: string, options: { band?: 0 | 1 | 2 } = {}): Promise<Raster> {
  try {
    let image = sharp(vPath, { limitInputPixels: false });
    if (options.band !== undefined) image = image.extractChannel(options.band).toColourspace('b-w');
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: info.channels as Raster['channels'], data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    throw new RestainError('CORRUPT_IMAGE', `cannot read ${path.basename(vPath)}: ${firstLine(error)}`, { cause: error });
  }
}

import sharp from 'sharp';
import { type Raster, RestainError } from '@restain/shared';
import { firstLine, inspectImageFile } from './inspect-image-file';

/** Default pixel limit of readPngRaster: the raster is held in memory (100 MP RGB = 300 MB). */
export const DEFAULT_MAX_RASTER_PIXELS = 100_000_000;

/**
 * Decode a PNG (e.g. an uploaded Seg.png or Marker.png for re-scoring) into an in-memory raster of
 * 1 (grey) or 3 (RGB) channels: alpha flattened on white, palette/16-bit reduced to 8-bit.
 * Validated like openImage (INPUT_NOT_FOUND, INPUT_EMPTY, UNSUPPORTED_FORMAT, IMAGE_TOO_LARGE,
 * IMAGE_TOO_SMALL, CORRUPT_IMAGE).
 */
export async function readPngRaster(filePath: string, channels: 1 | 3, options: { maxPixels?: number } = {}): Promise<Raster> {
  if (channels !== 1 && channels !== 3) {
    throw new RestainError('INVALID_ARGUMENT', `channels must be 1 or 3 but received ${channels}`);
  }
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_RASTER_PIXELS;
  const inspected = await inspectImageFile(filePath, { maxPixels, accept: ['png'] });
  try {
    const { data, info } = await sharp(filePath, { failOn: 'error', limitInputPixels: maxPixels })
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) {
      throw new RestainError('CORRUPT_IMAGE', `${inspected.name} decoded to ${info.channels} channels; expected ${channels}`);
    }
    return { width: info.width, height: info.height, channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    if (error instanceof RestainError) throw error;
    throw new RestainError('CORRUPT_IMAGE', `${inspected.name} is corrupt or truncated: ${firstLine(error)}`, { cause: error });
  }
}

import path from 'node:path';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { type Raster, type Rect, RestainError } from '@restain/shared';
import { firstLine } from './inspect-image-file';
import { readVipsHeader } from './vips-header';

const isWhole = (value: number): boolean => Number.isInteger(value);

function checkRect(rect: Rect, what: string): void {
  if (!isWhole(rect.x) || !isWhole(rect.y) || !isWhole(rect.width) || !isWhole(rect.height) || rect.width < 1 || rect.height < 1) {
    throw new RestainError('INVALID_ARGUMENT', `${what} must have whole-number x, y and a positive size but received ${JSON.stringify(rect)}`);
  }
}

function toRaster(data: Buffer, info: OutputInfo): Raster {
  return { width: info.width, height: info.height, channels: info.channels as Raster['channels'], data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

async function render(vPath: string, channels: 1 | 3, pipeline: (image: Sharp) => Sharp, rect: Rect): Promise<Raster> {
  try {
    // Our own .v files can exceed sharp's default pixel limit; they were checked when written.
    // Naming the colourspace keeps 1-band masks 1-band (sharp would otherwise output sRGB).
    const { data, info } = await pipeline(sharp(vPath, { limitInputPixels: false }))
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return toRaster(data, info);
  } catch (error) {
    throw new RestainError('CORRUPT_IMAGE', `cannot read ${JSON.stringify(rect)} from ${path.basename(vPath)}: ${firstLine(error)}`, { cause: error });
  }
}

/**
 * Read one rectangle (pixels) of a .v raster file; it must lie inside the image. libvips maps the
 * file, so only the rows touched are read. Channels are the file's (3 for input.v, 1 for masks).
 */
export async function readRegion(vPath: string, rect: Rect): Promise<Raster> {
  checkRect(rect, 'a region');
  const header = readVipsHeader(vPath);
  if (rect.x < 0 || rect.y < 0 || rect.x + rect.width > header.width || rect.y + rect.height > header.height) {
    throw new RestainError('INVALID_ARGUMENT', `region ${JSON.stringify(rect)} extends past the ${header.width}x${header.height} px image ${path.basename(vPath)}`);
  }
  return render(vPath, header.channels, (image) => image.extract({ left: rect.x, top: rect.y, width: rect.width, height: rect.height }), rect);
}

/**
 * Read a rectangle that may extend past the image (tile context margins at the edges, or an image
 * smaller than a tile): the part outside is mirror-padded, so the result is always rect-sized.
 * The rectangle must overlap the imageWidth x imageHeight image.
 */
export async function readRegionMirrored(vPath: string, rect: Rect, imageWidth: number, imageHeight: number): Promise<Raster> {
  checkRect(rect, 'a region');
  const header = readVipsHeader(vPath);
  if (header.width !== imageWidth || header.height !== imageHeight) {
    throw new RestainError('INVALID_ARGUMENT', `${path.basename(vPath)} is ${header.width}x${header.height} px but the caller expected ${imageWidth}x${imageHeight} px`);
  }
  const left = Math.max(0, rect.x);
  const top = Math.max(0, rect.y);
  const right = Math.min(imageWidth, rect.x + rect.width);
  const bottom = Math.min(imageHeight, rect.y + rect.height);
  if (right <= left || bottom <= top) {
    throw new RestainError('INVALID_ARGUMENT', `region ${JSON.stringify(rect)} does not overlap the ${imageWidth}x${imageHeight} px image`);
  }
  const inside: Rect = { x: left, y: top, width: right - left, height: bottom - top };
  if (inside.width === rect.width && inside.height === rect.height) return readRegion(vPath, rect);
  const pad = { top: top - rect.y, left: left - rect.x, bottom: rect.y + rect.height - bottom, right: rect.x + rect.width - right };
  return render(
    vPath,
    header.channels,
    (image) => image.extract({ left, top, width: inside.width, height: inside.height }).extend({ ...pad, extendWith: 'mirror' }),
    rect,
  );
}

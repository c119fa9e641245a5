import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { RestainError } from '@restain/shared';
import { firstLine } from './inspect-image-file';
import { checkRasterSize, readVipsHeader, VIPS_HEADER_BYTES } from './vips-header';

/** Resampling kernels: nearest for label/mask images, linear or lanczos3 for photographs. */
export type ResizeKernel = 'nearest' | 'lanczos3' | 'linear';

/**
 * Resize a .v raster file to exactly width x height pixels into another .v file, streamed by
 * libvips (bounded memory for any size); keeps the band count (1 or 3) and drops metadata.
 */
export async function resizeRasterFile(srcV: string, dstV: string, width: number, height: number, kernel: ResizeKernel): Promise<void> {
  checkRasterSize(width, height);
  // sharp picks the output format from the suffix.
  if (path.extname(dstV) !== '.v') {
    throw new RestainError('INVALID_ARGUMENT', `resizeRasterFile writes libvips .v files but the target is ${path.basename(dstV)}`);
  }
  if (path.resolve(srcV) === path.resolve(dstV)) {
    throw new RestainError('INVALID_ARGUMENT', `resizeRasterFile needs distinct source and target files but received ${srcV} twice`);
  }
  const { channels } = readVipsHeader(srcV);
  try {
    await sharp(srcV, { limitInputPixels: false })
      .resize(width, height, { fit: 'fill', kernel })
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .toFile(dstV);
    // Drop the XML metadata libvips appends after the pixels.
    await fs.promises.truncate(dstV, VIPS_HEADER_BYTES + width * height * channels);
  } catch (error) {
    await fs.promises.rm(dstV, { force: true });
    throw new RestainError('OUTPUT_FAILED', `cannot resize ${path.basename(srcV)} to ${width}x${height} px: ${firstLine(error)}`, { cause: error });
  }
}

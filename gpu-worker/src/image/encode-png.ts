import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { RestainError } from '@restain/shared';
import { firstLine } from './inspect-image-file';
import type { ResizeKernel } from './resize-raster-file';
import { checkRasterSize, readVipsHeader } from './vips-header';

export interface EncodePngOptions {
  /** Output size in pixels; default the source's. Give both to resize exactly. */
  readonly width?: number;
  readonly height?: number;
  /** Resampling kernel when resizing; default lanczos3 (use nearest for masks). */
  readonly kernel?: ResizeKernel;
}

/** zlib level 6: within a few percent of level 9's size at a fraction of its time. */
const PNG_COMPRESSION_LEVEL = 6;

/**
 * Encode a .v raster file as PNG (grey for 1 band, RGB for 3), optionally resized first, with no
 * metadata. libvips streams it, so memory stays bounded for any image size.
 */
export async function encodePng(srcV: string, dstPng: string, options: EncodePngOptions = {}): Promise<void> {
  const header = readVipsHeader(srcV);
  const width = options.width ?? header.width;
  const height = options.height ?? header.height;
  checkRasterSize(width, height);
  try {
    let image = sharp(srcV, { limitInputPixels: false });
    if (width !== header.width || height !== header.height) {
      image = image.resize(width, height, { fit: 'fill', kernel: options.kernel ?? 'lanczos3' });
    }
    await image
      .toColourspace(header.channels === 1 ? 'b-w' : 'srgb')
      .png({ compressionLevel: PNG_COMPRESSION_LEVEL, adaptiveFiltering: false })
      .toFile(dstPng);
  } catch (error) {
    await fs.promises.rm(dstPng, { force: true });
    throw new RestainError('OUTPUT_FAILED', `cannot encode ${path.basename(srcV)} as ${path.basename(dstPng)}: ${firstLine(error)}`, { cause: error });
  }
}

import fs from 'node:fs';
import path from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import { RestainError } from '@restain/shared';
import { sha256File } from './hash-file';
import { firstLine, inspectImageFile } from './inspect-image-file';
import { orientRasterFile } from './orient-raster-file';
import type { InputFormat } from './sniff-image-format';
import { readVipsHeader, VIPS_HEADER_BYTES } from './vips-header';

/** File name of the normalised input inside a job's work directory. */
export const NORMALIZED_INPUT_FILE = 'input.v';
/** Intermediate decode of an image whose EXIF orientation needs a rotation (deleted after). */
const UNORIENTED_INPUT_FILE = 'input-unoriented.v';

export interface OpenImageOptions {
  /** Directory that receives input.v (created if missing). */
  readonly workDir: string;
  /** Largest accepted width x height, checked from the header before any decoding. */
  readonly maxPixels: number;
  /** Zero-based page of a multi-page TIFF; default 0. */
  readonly page?: number;
}

/** A validated input, decoded once into an 8-bit sRGB .v file that later stages read by region. */
export interface NormalizedImage {
  /** Size after EXIF orientation, in pixels. */
  readonly width: number;
  readonly height: number;
  readonly format: InputFormat;
  /** Pages in the source file (1 unless a multi-page TIFF). */
  readonly pages: number;
  /** The page that was decoded. */
  readonly page: number;
  readonly sourceBytes: number;
  /** SHA-256 (hex) of the source file's bytes, for the reproducibility manifest. */
  readonly sha256: string;
  /** The 3-band 8-bit sRGB .v file (memory-mapped by libvips on read). */
  readonly path: string;
}

async function removeQuietly(filePath: string): Promise<void> {
  await fs.promises.rm(filePath, { force: true });
}

/**
 * Decode one page to an 8-bit sRGB .v file: alpha flattened on white, grey/palette/CMYK/16-bit
 * converted (ICC-aware), then libvips' trailing XML metadata cut off. failOn 'error' rejects
 * truncated and corrupt pixel data but tolerates the libjpeg warnings real camera files raise.
 */
async function decodeToVips(inputPath: string, outputPath: string, page: number, maxPixels: number, autoOrient: boolean): Promise<OutputInfo> {
  const image = sharp(inputPath, { page, failOn: 'error', limitInputPixels: maxPixels });
  const info = await (autoOrient ? image.autoOrient() : image)
    .flatten({ background: { r: 255, g: 255, b: 255 } })
    .toColourspace('srgb')
    .toFile(outputPath);
  await fs.promises.truncate(outputPath, VIPS_HEADER_BYTES + info.width * info.height * info.channels);
  return info;
}

/**
 * Validate an input image and normalise it into `<workDir>/input.v`: EXIF orientation applied,
 * alpha flattened on white, grey/palette/CMYK/16-bit converted to 8-bit sRGB (ICC-aware),
 * metadata stripped. libvips streams the decode to disk; no JS buffer holds the image, and
 * memory stays bounded (tens of MB) whatever the image size or orientation.
 * Every failure is a RestainError (INPUT_NOT_FOUND, INPUT_EMPTY, UNSUPPORTED_FORMAT,
 * IMAGE_TOO_LARGE, IMAGE_TOO_SMALL, CORRUPT_IMAGE, INVALID_ARGUMENT).
 */
export async function openImage(inputPath: string, options: OpenImageOptions): Promise<NormalizedImage> {
  const inspected = await inspectImageFile(inputPath, { maxPixels: options.maxPixels, page: options.page });
  await fs.promises.mkdir(options.workDir, { recursive: true });
  const outputPath = path.join(options.workDir, NORMALIZED_INPUT_FILE);
  const unorientedPath = path.join(options.workDir, UNORIENTED_INPUT_FILE);
  const hashing = sha256File(inputPath);
  // Keep the hash's rejection handled while the decode runs; it is awaited below.
  hashing.catch(() => undefined);
  try {
    // libvips rotates by holding the whole decoded image in memory; instead decode as stored,
    // then reorient file to file in bands (bounded memory, one more pass over the pixels).
    const twoPass = inspected.orientation !== 1;
    await decodeToVips(inputPath, twoPass ? unorientedPath : outputPath, inspected.page, options.maxPixels, !twoPass);
    if (twoPass) {
      await orientRasterFile(unorientedPath, outputPath, inspected.orientation);
    }
    const header = readVipsHeader(outputPath);
    if (header.channels !== 3 || header.width !== inspected.width || header.height !== inspected.height) {
      throw new RestainError(
        'CORRUPT_IMAGE',
        `${inspected.name} decoded to ${header.width}x${header.height} px with ${header.channels} bands; expected ${inspected.width}x${inspected.height} px sRGB`,
      );
    }
  } catch (error) {
    await removeQuietly(outputPath);
    if (error instanceof RestainError) throw error;
    throw new RestainError('CORRUPT_IMAGE', `${inspected.name} is corrupt or truncated: ${firstLine(error)}`, { cause: error });
  } finally {
    await removeQuietly(unorientedPath);
  }
  const sha256 = await hashing;
  return {
    width: inspected.width,
    height: inspected.height,
    format: inspected.format,
    pages: inspected.pages,
    page: inspected.page,
    sourceBytes: inspected.sourceBytes,
    sha256,
    path: outputPath,
  };
}

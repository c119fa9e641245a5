import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { RestainError, isRestainError } from '@restain/shared';
import { type InputFormat, encodePng, openImage, sha256File } from '@restain/gpu-worker';
import { storageFailure } from './out-of-space';

export interface ValidateUploadOptions {
  /** Largest accepted width x height (after nothing is decoded: checked from the header). */
  readonly maxPixels: number;
  /** Where the validated PNG is written (its folder must exist). */
  readonly outPath: string;
  /** Page of a multi-page TIFF to keep (0-based); default 0. The stored PNG has that page only. */
  readonly page?: number;
  /** The name errors should call the file by (e.g. the sanitised upload name); default its basename. */
  readonly displayName?: string;
}

/** What was stored: the source's detected format and the stored PNG's size and checksum. */
export interface ValidatedImage {
  /** Format of the uploaded bytes, detected from their content. */
  readonly format: InputFormat;
  /** Pixels after EXIF orientation. */
  readonly width: number;
  readonly height: number;
  /** Size of the stored PNG in bytes. */
  readonly sizeBytes: number;
  /** SHA-256 (hex) of the stored PNG. */
  readonly sha256: string;
}

/** Errors that mean the upload itself is unusable (the job fails once with the reason). */
export const BAD_INPUT_CODES: readonly string[] = [
  'INPUT_EMPTY',
  'UNSUPPORTED_FORMAT',
  'CORRUPT_IMAGE',
  'IMAGE_TOO_LARGE',
  'IMAGE_TOO_SMALL',
  'INVALID_ARGUMENT',
];

/** True when `error` says the upload is bad (not a platform fault worth retrying). */
export function isBadInputError(error: unknown): error is RestainError {
  return isRestainError(error) && BAD_INPUT_CODES.includes(error.code);
}

/** The same error with a temporary file's name (its messages start with it) replaced by the name the user knows. */
export function renamed(error: RestainError, fileName: string, displayName: string | undefined): RestainError {
  if (!displayName || displayName === fileName || !error.message.startsWith(fileName)) return error;
  return new RestainError(error.code, `${displayName}${error.message.slice(fileName.length)}`, { cause: error });
}

/**
 * Validate an uploaded image and store it as the job's input PNG. The analysis core's openImage
 * does the checks (format by content, pixel limit from the header before decoding, full decode
 * with failOn 'error', EXIF orientation) and its normalisation: 8-bit sRGB RGB, alpha flattened
 * on white, grey/palette/CMYK/16-bit converted ICC-aware. That raster is exactly what every
 * analysis of this file works on, so storing it loses nothing the analysis uses, and the worker
 * decoding the stored PNG sees the identical pixels (scores equal `restain analyze` on the
 * original). The PNG is written by libvips without any metadata (EXIF, XMP, ICC, text chunks).
 * Failures are RestainErrors (see BAD_INPUT_CODES; INPUT_NOT_FOUND when the file is missing;
 * INSUFFICIENT_STORAGE when the disk is full, never mistaken for a corrupt image).
 */
export async function validateUpload(filePath: string, options: ValidateUploadOptions): Promise<ValidatedImage> {
  const fileName = path.basename(filePath);
  // Beside the output: the decoded raster (3 bytes a pixel) stays on the same disk as the PNG.
  const workDir = await mkdtemp(path.join(path.dirname(options.outPath), '.validate-'));
  try {
    const image = await openImage(filePath, { workDir, maxPixels: options.maxPixels, page: options.page ?? 0 });
    await encodePng(image.path, options.outPath);
    const [sha256, stored] = await Promise.all([sha256File(options.outPath), stat(options.outPath)]);
    return { format: image.format, width: image.width, height: image.height, sizeBytes: stored.size, sha256 };
  } catch (error) {
    await rm(options.outPath, { force: true });
    throw (await storageFailure(error, path.dirname(options.outPath))) ?? (isRestainError(error) ? renamed(error, fileName, options.displayName) : error);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

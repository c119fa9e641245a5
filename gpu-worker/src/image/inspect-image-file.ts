import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { RestainError } from '@restain/shared';
import { ACCEPTED_FORMATS_TEXT, type InputFormat, SNIFF_BYTES, sniffImageFormat } from './sniff-image-format';

/** Smallest accepted edge in pixels: below 16 px an image is smaller than one nucleus. */
export const MIN_IMAGE_EDGE = 16;

export interface InspectOptions {
  /** Largest accepted width x height of the page read, checked from the header before decoding. */
  readonly maxPixels: number;
  /** Zero-based page of a multi-page file (TIFF); default 0. */
  readonly page?: number;
  /** Formats this caller takes; default all of PNG, JPEG, TIFF and WebP. */
  readonly accept?: readonly InputFormat[];
}

/** What the file's header says, checked against the limits; nothing has been decoded yet. */
export interface InspectedImage {
  readonly name: string;
  readonly format: InputFormat;
  readonly sourceBytes: number;
  /** Size of the chosen page after EXIF orientation, in pixels. */
  readonly width: number;
  readonly height: number;
  readonly pages: number;
  readonly page: number;
  /** EXIF orientation of the page, 1 (as stored) to 8. */
  readonly orientation: number;
}

const FORMAT_NAMES: Record<InputFormat, string> = { png: 'PNG', jpeg: 'JPEG', tiff: 'TIFF', webp: 'WebP' };
const SAMPLE_DEPTHS: Record<string, string> = { uchar: '8-bit', ushort: '16-bit', char: 'signed 8-bit', short: 'signed 16-bit', uint: '32-bit', int: 'signed 32-bit', float: '32-bit float', double: '64-bit float', complex: 'complex', dpcomplex: 'complex' };

/** The first line of a libvips/sharp error, for one-line messages. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').map((line) => line.trim()).find((line) => line.length > 0) ?? 'unknown error';
}

const megapixels = (pixels: number): string => (pixels >= 100_000 ? `${(pixels / 1e6).toFixed(1)} MP` : `${pixels} pixels`);

async function statInput(filePath: string, name: string): Promise<number> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? firstLine(error)})`;
    throw new RestainError('INPUT_NOT_FOUND', `${name} ${reason}`, { cause: error });
  }
  if (!stat.isFile()) throw new RestainError('INPUT_NOT_FOUND', `${name} is not a regular file (an image file expected)`);
  if (stat.size === 0) throw new RestainError('INPUT_EMPTY', `${name} is empty (0 bytes; an image file expected)`);
  return stat.size;
}

async function readHead(filePath: string): Promise<Uint8Array> {
  const handle = await fs.promises.open(filePath, 'r');
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function readMetadata(filePath: string, name: string, format: InputFormat, page: number): Promise<Metadata> {
  try {
    // metadata() parses headers only; the pixel limit is ours to check, with our own message.
    return await sharp(filePath, { page, limitInputPixels: false }).metadata();
  } catch (error) {
    throw new RestainError('CORRUPT_IMAGE', `${name} has a corrupt or truncated ${FORMAT_NAMES[format]} header: ${firstLine(error)}`, { cause: error });
  }
}

function checkPage(name: string, page: number, pages: number): void {
  if (!Number.isInteger(page) || page < 0) {
    throw new RestainError('INVALID_ARGUMENT', `page must be a whole number >= 0 but received ${page}`);
  }
  if (page >= pages) {
    const has = pages === 1 ? 'has 1 page (page 0)' : `has ${pages} pages (0-${pages - 1})`;
    throw new RestainError('INVALID_ARGUMENT', `${name} ${has}; page ${page} does not exist`);
  }
}

/**
 * Check an input file without decoding its pixels: it exists, is not empty, its bytes are an
 * accepted raster format, the page exists, and the page's size is within [MIN_IMAGE_EDGE, maxPixels].
 */
export async function inspectImageFile(filePath: string, options: InspectOptions): Promise<InspectedImage> {
  const name = path.basename(filePath);
  const page = options.page ?? 0;
  if (!Number.isInteger(options.maxPixels) || options.maxPixels < 1) {
    throw new RestainError('INVALID_ARGUMENT', `maxPixels must be a positive whole number but received ${options.maxPixels}`);
  }
  const sourceBytes = await statInput(filePath, name);
  const sniffed = sniffImageFormat(await readHead(filePath));
  const accept = options.accept ?? (Object.keys(FORMAT_NAMES) as InputFormat[]);
  const expected = accept.length === 4 ? ACCEPTED_FORMATS_TEXT : `${accept.map((f) => FORMAT_NAMES[f]).join(' or ')} expected`;
  if (sniffed.kind === 'rejected') {
    const what = sniffed.imageLike ? 'is not a supported image' : 'is not an image';
    throw new RestainError('UNSUPPORTED_FORMAT', `${name} ${what}: ${sniffed.description} (${expected})`);
  }
  if (!accept.includes(sniffed.format)) {
    throw new RestainError('UNSUPPORTED_FORMAT', `${name} is a ${FORMAT_NAMES[sniffed.format]} image (${expected})`);
  }
  const first = await readMetadata(filePath, name, sniffed.format, 0);
  if (first.format !== sniffed.format) {
    throw new RestainError('CORRUPT_IMAGE', `${name} has a ${FORMAT_NAMES[sniffed.format]} signature but decodes as ${first.format}`);
  }
  const pages = first.pages ?? 1;
  checkPage(name, page, pages);
  const meta = page === 0 ? first : await readMetadata(filePath, name, sniffed.format, page);
  if (meta.depth !== 'uchar' && meta.depth !== 'ushort') {
    const depth = SAMPLE_DEPTHS[meta.depth] ?? meta.depth;
    throw new RestainError('UNSUPPORTED_FORMAT', `${name} has ${depth} samples (8 or 16-bit expected)`);
  }
  const pixels = meta.width * meta.height;
  if (pixels > options.maxPixels) {
    throw new RestainError(
      'IMAGE_TOO_LARGE',
      `${name} is ${meta.width}x${meta.height} px (${megapixels(pixels)}), above the limit of ${megapixels(options.maxPixels)}`,
    );
  }
  if (meta.width < MIN_IMAGE_EDGE || meta.height < MIN_IMAGE_EDGE) {
    throw new RestainError(
      'IMAGE_TOO_SMALL',
      `${name} is ${meta.width}x${meta.height} px, smaller than the minimum ${MIN_IMAGE_EDGE}x${MIN_IMAGE_EDGE} px (about one nucleus)`,
    );
  }
  const { width, height } = meta.autoOrient ?? meta;
  const orientation = meta.orientation !== undefined && meta.orientation >= 1 && meta.orientation <= 8 ? meta.orientation : 1;
  return { name, format: sniffed.format, sourceBytes, width, height, pages, page, orientation };
}

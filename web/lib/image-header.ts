/** Raster formats the server accepts, recognised by their first bytes (never by the file name). */
export type ImageFormat = 'png' | 'jpeg' | 'tiff' | 'webp';

export type HeaderInfo =
  | { readonly kind: 'image'; readonly format: ImageFormat; readonly width: number | null; readonly height: number | null }
  | { readonly kind: 'other'; readonly description: string };

const ascii = (bytes: Uint8Array, at: number, text: string) => [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));
const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) => signature.every((v, i) => bytes[at + i] === v);

const OTHER: ReadonlyArray<[string, number, string]> = [
  ['GIF8', 0, 'a GIF'],
  ['%PDF', 0, 'a PDF'],
  ['BM', 0, 'a BMP'],
  ['ftyp', 4, 'a HEIF/AVIF/MP4 file'],
  ['PK', 0, 'a ZIP archive'],
];

function pngSize(b: Uint8Array, view: DataView): [number, number] | null {
  return b.length >= 24 && ascii(b, 12, 'IHDR') ? [view.getUint32(16), view.getUint32(20)] : null;
}

function jpegSize(b: Uint8Array, view: DataView): [number, number] | null {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return [view.getUint16(at + 7), view.getUint16(at + 5)];
    at += 2 + view.getUint16(at + 2);
  }
  return null;
}

function webpSize(b: Uint8Array, view: DataView): [number, number] | null {
  if (b.length < 30) return null;
  if (ascii(b, 12, 'VP8X')) return [1 + (view.getUint32(24, true) & 0xffffff), 1 + (view.getUint32(27, true) & 0xffffff)];
  if (ascii(b, 12, 'VP8L')) {
    const bits = view.getUint32(21, true);
    return [1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff)];
  }
  if (ascii(b, 12, 'VP8 ')) return [view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff];
  return null;
}

function tiffSize(b: Uint8Array, view: DataView): [number, number] | null {
  const little = b[0] === 0x49;
  if (view.getUint16(2, little) !== 42) return null; // BigTIFF: left to the server
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > b.length) return null;
  const count = view.getUint16(ifd, little);
  let width: number | null = null;
  let height: number | null = null;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > b.length) return null;
    const tag = view.getUint16(entry, little);
    const type = view.getUint16(entry + 2, little);
    const value = type === 3 ? view.getUint16(entry + 8, little) : view.getUint32(entry + 8, little);
    if (tag === 256) width = value;
    if (tag === 257) height = value;
  }
  return width !== null && height !== null ? [width, height] : null;
}

/**
 * Format and pixel size from a file's first bytes (64 KiB is plenty for all but TIFFs whose
 * directory sits at the end): width and height are null when the header does not reach them.
 */
export function readImageHeader(bytes: Uint8Array): HeaderInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = sniffFormat(bytes);
  if (format) {
    let size: [number, number] | null = null;
    try {
      size = SIZE_READERS[format](bytes, view);
    } catch {
      // A header cut short (RangeError): the format is known, the size is not.
    }
    return { kind: 'image', format, width: size?.[0] ?? null, height: size?.[1] ?? null };
  }
  if (bytes.length === 0) return { kind: 'other', description: 'the file is empty' };
  for (const [signature, at, description] of OTHER) if (ascii(bytes, at, signature)) return { kind: 'other', description: `it is ${description}` };
  const head = bytes.subarray(0, 512);
  const text = head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || b >= 0x20);
  if (text) return { kind: 'other', description: /<svg/i.test(String.fromCharCode(...head)) ? 'it is an SVG (vector graphics)' : 'it is text, not an image' };
  return { kind: 'other', description: 'its content matches no image format' };
}

const SIZE_READERS: Record<ImageFormat, (b: Uint8Array, view: DataView) => [number, number] | null> = { png: pngSize, jpeg: jpegSize, tiff: tiffSize, webp: webpSize };

function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x49, 0x49]) || startsWith(bytes, [0x4d, 0x4d])) {
    const little = bytes[0] === 0x49;
    const magic = little ? bytes[2] | (bytes[3] << 8) : (bytes[2] << 8) | bytes[3];
    if (magic === 42 || magic === 43) return 'tiff';
  }
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'webp';
  return null;
}

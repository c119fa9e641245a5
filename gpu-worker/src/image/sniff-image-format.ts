/** Raster formats Restain accepts as input, named as sharp's metadata().format names them. */
export type InputFormat = 'png' | 'jpeg' | 'tiff' | 'webp';

export const ACCEPTED_FORMATS_TEXT = 'PNG, JPEG, TIFF or WebP expected';

/** Bytes enough to recognise every signature below (SVG/XML roots may follow a long prolog). */
export const SNIFF_BYTES = 512;

export type SniffResult =
  | { readonly kind: 'accepted'; readonly format: InputFormat }
  | { readonly kind: 'rejected'; readonly description: string; readonly imageLike: boolean };

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  bytes.length >= at + signature.length && signature.every((value, i) => bytes[at + i] === value);

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/** Signatures of formats we recognise but do not accept, so the error can name them. */
const REJECTED_SIGNATURES: ReadonlyArray<{ signature: number[]; at?: number; description: string; imageLike?: false }> = [
  { signature: ascii('GIF87a'), description: 'a GIF' },
  { signature: ascii('GIF89a'), description: 'a GIF' },
  { signature: ascii('%PDF-'), description: 'a PDF' },
  { signature: ascii('BM'), description: 'a BMP' },
  { signature: ascii('ftyp'), at: 4, description: 'a HEIF/AVIF/MP4 container' },
  { signature: [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20], description: 'a JPEG 2000' },
  { signature: [0xff, 0x4f, 0xff, 0x51], description: 'a JPEG 2000 codestream' },
  { signature: [0xff, 0x0a], description: 'a JPEG XL' },
  { signature: ascii('PK'), description: 'a ZIP archive', imageLike: false },
  { signature: [0x1f, 0x8b], description: 'a gzip archive', imageLike: false },
];

/** True when the bytes look like text: printable ASCII, whitespace or UTF-8 sequences only. */
function looksLikeText(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f)) {
      i += 1;
      continue;
    }
    // A UTF-8 lead byte followed by its continuation bytes (a cut sequence at the end is fine).
    const extra = b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
    if (extra < 0 || b >= 0xf8) return false;
    for (let k = 1; k <= extra && i + k < bytes.length; k++) {
      if ((bytes[i + k] & 0xc0) !== 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

function describeText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (text.startsWith('<') && text.includes('<svg')) return 'an SVG (vector graphics)';
  if (text.startsWith('<?xml')) return 'XML text';
  if (text.startsWith('<')) return 'HTML/XML text';
  return 'text';
}

/**
 * Recognise a file's format from its first bytes (see SNIFF_BYTES), never from its name:
 * accepted raster formats by their signatures, everything else described for the error.
 */
export function sniffImageFormat(head: Uint8Array): SniffResult {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'accepted', format: 'png' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'accepted', format: 'jpeg' };
  // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return { kind: 'accepted', format: 'tiff' };
  if (startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) return { kind: 'accepted', format: 'tiff' };
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return { kind: 'accepted', format: 'webp' };
  for (const { signature, at, description, imageLike } of REJECTED_SIGNATURES) {
    if (startsWith(head, signature, at ?? 0)) return { kind: 'rejected', description: `it is ${description}`, imageLike: imageLike ?? true };
  }
  const textStart = head.subarray(0, SNIFF_BYTES);
  if (looksLikeText(textStart)) {
    const description = describeText(textStart);
    const isSvg = description.startsWith('an SVG');
    return { kind: 'rejected', description: description === 'text' ? 'it starts with text' : `it is ${description}`, imageLike: isSvg };
  }
  const hex = Buffer.from(head.subarray(0, 8)).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return { kind: 'rejected', description: `its first bytes (${hex}) match no known image signature`, imageLike: false };
}

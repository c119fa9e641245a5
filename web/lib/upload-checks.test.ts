import { readImageHeader } from './image-header';
import { checkUpload } from './upload-checks';

const LIMITS = { maxUploadBytes: 10 * 1024 * 1024, jobMaxPixels: 4000 * 4000 };

function png(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  return bytes;
}

function jpeg(width: number, height: number): Uint8Array {
  // SOI, an APP0 segment of 16 bytes, then SOF0 with height before width.
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...new Array(14).fill(0)];
  const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 255, width >> 8, width & 255, 3];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof, ...new Array(20).fill(0)]);
}

function tiff(width: number, height: number, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(8 + 2 + 2 * 12 + 4);
  const view = new DataView(bytes.buffer);
  bytes.set(littleEndian ? [0x49, 0x49] : [0x4d, 0x4d]);
  view.setUint16(2, 42, littleEndian);
  view.setUint32(4, 8, littleEndian);
  view.setUint16(8, 2, littleEndian);
  view.setUint16(10, 256, littleEndian); // ImageWidth, LONG
  view.setUint16(12, 4, littleEndian);
  view.setUint32(18, width, littleEndian);
  view.setUint16(22, 257, littleEndian); // ImageLength, SHORT
  view.setUint16(24, 3, littleEndian);
  view.setUint16(30, height, littleEndian);
  return bytes;
}

function webpLossless(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(30);
  bytes.set([...'RIFF'].map((c) => c.charCodeAt(0)));
  bytes.set([...'WEBPVP8L'].map((c) => c.charCodeAt(0)), 8);
  bytes[20] = 0x2f;
  new DataView(bytes.buffer).setUint32(21, (width - 1) | ((height - 1) << 14), true);
  return bytes;
}

describe('readImageHeader', () => {
  test('reads format and size of PNG, JPEG, TIFF (both byte orders) and WebP headers', () => {
    expect(readImageHeader(png(1024, 768))).toEqual({ kind: 'image', format: 'png', width: 1024, height: 768 });
    expect(readImageHeader(jpeg(3000, 2000))).toEqual({ kind: 'image', format: 'jpeg', width: 3000, height: 2000 });
    expect(readImageHeader(tiff(5000, 4000, true))).toEqual({ kind: 'image', format: 'tiff', width: 5000, height: 4000 });
    expect(readImageHeader(tiff(640, 480, false))).toEqual({ kind: 'image', format: 'tiff', width: 640, height: 480 });
    expect(readImageHeader(webpLossless(800, 600))).toEqual({ kind: 'image', format: 'webp', width: 800, height: 600 });
  });

  test('a header cut short keeps its format with an unknown size', () => {
    expect(readImageHeader(jpeg(3000, 2000).subarray(0, 12))).toEqual({ kind: 'image', format: 'jpeg', width: null, height: null });
  });

  test('names what other files are', () => {
    const text = (value: string) => new TextEncoder().encode(value);
    expect(readImageHeader(text('GIF89a....'))).toEqual({ kind: 'other', description: 'it is a GIF' });
    expect(readImageHeader(text('%PDF-1.7'))).toEqual({ kind: 'other', description: 'it is a PDF' });
    expect(readImageHeader(text('<?xml version="1.0"?><svg></svg>'))).toEqual({ kind: 'other', description: 'it is an SVG (vector graphics)' });
    expect(readImageHeader(text('patient,score\n1,2'))).toEqual({ kind: 'other', description: 'it is text, not an image' });
    expect(readImageHeader(new Uint8Array([0, 1, 2, 3, 250]))).toEqual({ kind: 'other', description: 'its content matches no image format' });
  });
});

describe('checkUpload', () => {
  test('accepts a supported image within the limits', () => {
    expect(checkUpload({ name: 'a.png', size: 5000 }, png(1024, 768), LIMITS)).toEqual({ ok: true, format: 'png', width: 1024, height: 768 });
  });

  test('rejects files over the size limit before reading their content', () => {
    const result = checkUpload({ name: 'big.tif', size: 11 * 1024 * 1024 }, tiff(100, 100, true), LIMITS);
    expect(result).toEqual({ ok: false, message: 'big.tif is 11.0 MB; this server accepts files up to 10.0 MB.' });
  });

  test('rejects an empty file, a renamed text file and a GIF with what they are', () => {
    expect(checkUpload({ name: 'e.png', size: 0 }, new Uint8Array(), LIMITS)).toEqual({ ok: false, message: 'e.png is empty (0 bytes).' });
    const notes = checkUpload({ name: 'notes.png', size: 20 }, new TextEncoder().encode('just some notes here'), LIMITS);
    expect(notes).toEqual({ ok: false, message: 'notes.png is not a supported image: it is text, not an image. Use PNG, JPEG, TIFF or WebP.' });
    expect(checkUpload({ name: 'x.gif', size: 20 }, new TextEncoder().encode('GIF87a'), LIMITS).ok).toBe(false);
  });

  test('rejects images over the pixel limit and under the minimum edge', () => {
    const huge = checkUpload({ name: 'slide.jpg', size: 1000 }, jpeg(5000, 4000), LIMITS);
    expect(huge).toEqual({ ok: false, message: 'slide.jpg is 5000 × 4000 pixels (20 megapixels); this server analyses up to 16 megapixels. Crop or downscale it first.' });
    expect(checkUpload({ name: 'tiny.png', size: 100 }, png(8, 200), LIMITS)).toEqual({
      ok: false,
      message: 'tiny.png is 8 × 200 pixels; images need at least 16 pixels on each side.',
    });
  });

  test('an image whose size the header does not give is left to the server', () => {
    expect(checkUpload({ name: 'cut.jpg', size: 100 }, jpeg(9000, 9000).subarray(0, 10), LIMITS)).toEqual({ ok: true, format: 'jpeg', width: null, height: null });
  });
});

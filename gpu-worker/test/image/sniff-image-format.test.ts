import { sniffImageFormat } from '../../src/image/sniff-image-format';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? Array.from(Buffer.from(part, 'latin1')) : part)));

describe('sniffImageFormat', () => {
  it.each([
    ['PNG', bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13]), 'png'],
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), 'jpeg'],
    ['little-endian TIFF', bytes('II', [42, 0, 8, 0, 0, 0]), 'tiff'],
    ['big-endian TIFF', bytes('MM', [0, 42, 0, 0, 0, 8]), 'tiff'],
    ['little-endian BigTIFF', bytes('II', [43, 0, 8, 0, 0, 0]), 'tiff'],
    ['big-endian BigTIFF', bytes('MM', [0, 43, 0, 8, 0, 0]), 'tiff'],
    ['WebP', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'webp'],
  ])('accepts %s by its signature', (_name, head, format) => {
    expect(sniffImageFormat(head)).toEqual({ kind: 'accepted', format });
  });

  it.each([
    ['GIF', bytes('GIF89a', [1, 0, 1, 0]), 'it is a GIF', true],
    ['PDF', bytes('%PDF-1.7\n%\xe2\xe3'), 'it is a PDF', true],
    ['HEIF', bytes([0, 0, 0, 24], 'ftypheic'), 'it is a HEIF/AVIF/MP4 container', true],
    ['ZIP', bytes('PK', [3, 4, 20, 0]), 'it is a ZIP archive', false],
    ['RIFF that is not WebP', bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt ', [0, 0, 0xff, 0xfe]), 'its first bytes (52 49 46 46 01 02 03 04) match no known image signature', false],
  ])('rejects %s and names it', (_name, head, description, imageLike) => {
    expect(sniffImageFormat(head)).toEqual({ kind: 'rejected', description, imageLike });
  });

  it('recognises SVG after an XML prolog and whitespace', () => {
    const svg = bytes('\n  <?xml version="1.0" encoding="UTF-8"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(sniffImageFormat(svg)).toEqual({ kind: 'rejected', description: 'it is an SVG (vector graphics)', imageLike: true });
  });

  it('calls plain and UTF-8 text text, and other markup HTML/XML', () => {
    expect(sniffImageFormat(bytes('id,x,y\n1,2,3\n'))).toMatchObject({ description: 'it starts with text', imageLike: false });
    expect(sniffImageFormat(Uint8Array.from(Buffer.from('Zellkerne: größer als 10 µm — ok', 'utf8')))).toMatchObject({ description: 'it starts with text' });
    expect(sniffImageFormat(bytes('<!DOCTYPE html><html>'))).toMatchObject({ description: 'it is HTML/XML text' });
  });

  it('does not mistake binary bytes for text', () => {
    const result = sniffImageFormat(bytes([0x00, 0x01, 0x02, 0x80, 0x81, 0xfe, 0xff, 0x10]));
    expect(result).toEqual({ kind: 'rejected', description: 'its first bytes (00 01 02 80 81 fe ff 10) match no known image signature', imageLike: false });
  });
});

import { MAX_DISPLAY_NAME_CHARS, sanitizeDisplayName } from '../../src/uploads/sanitize-display-name';

describe('sanitizeDisplayName', () => {
  it('keeps only the last path segment, whichever separator', () => {
    expect(sanitizeDisplayName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeDisplayName('a\\b.png')).toBe('b.png');
    expect(sanitizeDisplayName('C:\\Users\\me\\slide 1.tif')).toBe('slide 1.tif');
    expect(sanitizeDisplayName('/abs/path/ROI_1.png')).toBe('ROI_1.png');
  });

  it('falls back to "image" when nothing usable is left', () => {
    for (const name of [undefined, '', '   ', '..', '.', 'dir/', 'a/..', '\u202e\u200b', '\u0000\u0007']) {
      expect(sanitizeDisplayName(name)).toBe('image');
    }
  });

  it('removes bidi overrides, isolates, zero-width and control characters', () => {
    // "photo<RLO>gnp.exe" displays as "photoexe.png"; without the override it reads as what it is.
    expect(sanitizeDisplayName('photo\u202egnp.exe')).toBe('photognp.exe');
    expect(sanitizeDisplayName('\u2066a\u2069b\u200f.png')).toBe('ab.png');
    expect(sanitizeDisplayName('line\nbreak\ttab.png')).toBe('line break tab.png');
    expect(sanitizeDisplayName('next\u0085line\u2028.png')).toBe('next line .png');
    expect(sanitizeDisplayName('bell\u0007\u007f.png')).toBe('bell.png');
  });

  it('caps the length at 200 characters and keeps the extension', () => {
    const long = `${'x'.repeat(500)}.png`;
    const result = sanitizeDisplayName(long);
    expect(Array.from(result)).toHaveLength(MAX_DISPLAY_NAME_CHARS);
    expect(result.endsWith('.png')).toBe(true);
    // Counted in characters: astral characters (2 UTF-16 units) are never split in half.
    const emoji = sanitizeDisplayName('\u{1F52C}'.repeat(500));
    expect(Array.from(emoji)).toHaveLength(MAX_DISPLAY_NAME_CHARS);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('keeps ordinary names, including non-Latin ones, unchanged (NFC)', () => {
    expect(sanitizeDisplayName('Ki67 – case 12.png')).toBe('Ki67 – case 12.png');
    expect(sanitizeDisplayName('Schnitt_\u0308u.jpg')).toBe('Schnitt_\u0308u.jpg'.normalize('NFC'));
    expect(sanitizeDisplayName('標本.tif')).toBe('標本.tif');
  });
});

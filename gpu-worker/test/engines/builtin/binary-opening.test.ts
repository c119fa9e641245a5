import { openMask } from '../../../src/engines/builtin/binary-opening';

function randomBlobs(width: number, height: number, seed: number): Uint8Array {
  const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const mask = new Uint8Array(width * height);
  // Discs of assorted sizes plus speckle: wide bodies, thin bridges and single pixels.
  for (let k = 0; k < 12; k++) {
    const [cx, cy, r] = [next() * width, next() * height, 1 + next() * 9];
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) mask[y * width + x] = 1;
  }
  for (let i = 0; i < mask.length; i++) if (next() < 0.08) mask[i] ^= 1;
  return mask;
}

/** The definition: float32 Euclidean distances compared with the radius; the image edge never erodes. */
function referenceOpening(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const within = (dx: number, dy: number): boolean => Math.fround(Math.sqrt(dx * dx + dy * dy)) <= radius;
  const eroded = mask.map((v, i) => {
    if (!v) return 0;
    const [x, y] = [i % width, Math.floor(i / width)];
    for (let q = 0; q < mask.length; q++) if (!mask[q] && within(q % width - x, Math.floor(q / width) - y)) return 0;
    return 1;
  });
  return mask.map((v, i) => {
    if (!v) return 0;
    const [x, y] = [i % width, Math.floor(i / width)];
    for (let q = 0; q < mask.length; q++) if (eroded[q] && within(q % width - x, Math.floor(q / width) - y)) return 1;
    return 0;
  });
}

/** The cross opening as first written: the pixel and its 4 neighbours; edge pixels erode to themselves. */
function referenceCrossOpening(mask: Uint8Array, width: number, height: number): Uint8Array {
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? 0 : mask[y * width + x]);
  const eroded = mask.map((v, i) => {
    const [x, y] = [i % width, Math.floor(i / width)];
    if (x === 0 || y === 0 || x === width - 1 || y === height - 1) return v;
    return v & at(x - 1, y) & at(x + 1, y) & at(x, y - 1) & at(x, y + 1);
  });
  const e = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? 0 : eroded[y * width + x]);
  return mask.map((v, i) => {
    const [x, y] = [i % width, Math.floor(i / width)];
    return v && (e(x, y) | e(x - 1, y) | e(x + 1, y) | e(x, y - 1) | e(x, y + 1)) ? 1 : 0;
  });
}

describe('openMask', () => {
  it.each([[37, 23], [64, 9], [1, 12], [40, 1]])('radius 1 (cross, edges kept) on %dx%d equals the direct definition', (width, height) => {
    const mask = randomBlobs(width, height, width + 7 * height);
    expect(Array.from(openMask(mask, width, height, 1.2))).toEqual(Array.from(referenceCrossOpening(mask, width, height)));
  });

  // Widths around word boundaries, radii on both sides of sqrt(17).
  it.each([
    [45, 31, 1.5],
    [32, 29, 2.4],
    [33, 30, 4],
    [40, 36, Math.sqrt(17)],
    [64, 40, 6.2],
    [50, 45, 17.5],
  ])('%dx%d radius %d equals the distance definition', (width, height, radius) => {
    const mask = randomBlobs(width, height, width * 31 + height);
    expect(Array.from(openMask(mask, width, height, radius))).toEqual(Array.from(referenceOpening(mask, width, height, radius)));
  });

  it('past the bit-row reach (distance transforms) equals the distance definition', () => {
    const [width, height, radius] = [130, 60, 50.5];
    // Foreground with a few background pixels: only what lies far from all of them survives.
    const mask = new Uint8Array(width * height).fill(1);
    for (const [x, y] of [[20, 10], [70, 50], [125, 5]]) mask[y * width + x] = 0;
    const opened = openMask(mask, width, height, radius);
    expect(opened.some((v) => v === 0) && opened.some((v) => v === 1)).toBe(true);
    expect(Array.from(opened)).toEqual(Array.from(referenceOpening(mask, width, height, radius)));
  });
});

import { deconvolveStains, generateSyntheticIhc, type Raster } from '@restain/shared';
import { addBlobRelief } from '../../../src/engines/builtin/blob-relief';
import { parseBuiltinOptions, toPixelParameters } from '../../../src/engines/builtin/builtin-options';
import { prepareBuiltinContext } from '../../../src/engines/builtin/prepare-context';
import { segmentNuclei } from '../../../src/engines/builtin/segment-nuclei';

/** Crop of a synthetic slide around a touching pair: a dark brown nucleus on a paler brown one. */
const [X0, Y0, SIDE] = [182, 410, 160];
const PAIR = [
  [271, 481],
  [254, 500],
];

function cropPair(): Raster {
  const { image } = generateSyntheticIhc({ width: 900, height: 700, seed: 7, cellCount: 120, positiveFraction: 0.35, touchingPairFraction: 0.25 });
  const data = new Uint8Array(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) {
    for (let c = 0; c < 3; c++) data[(y * SIDE + x) * 3 + c] = image.data[((Y0 + y) * image.width + X0 + x) * image.channels + c];
  }
  return { width: SIDE, height: SIDE, channels: 3, data };
}

function labelsAtPair(options: Record<string, unknown>): number[] {
  const tile = cropPair();
  const settings = parseBuiltinOptions(options);
  const ctx = prepareBuiltinContext(tile, settings);
  const { hematoxylin, dab } = deconvolveStains(tile, ctx.stains, ctx.background);
  const seg = segmentNuclei(hematoxylin.data, dab.data, SIDE, SIDE, toPixelParameters(settings, ctx.nuclearThresholdOd));
  return PAIR.map(([x, y]) => seg.labels[(y - Y0) * SIDE + x - X0]);
}

describe('blob term of the seeding relief', () => {
  it('splits touching nuclei whose distance map and intensity have one maximum between them', () => {
    const [a, b] = labelsAtPair({});
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(a).not.toBe(b);
  });

  it('is what splits them: without it the pair is one nucleus', () => {
    const [a, b] = labelsAtPair({ blobWeightMicrons: 0 });
    expect(a).toBeGreaterThan(0);
    expect(a).toBe(b);
  });

  it('raises the relief most at a blob centre and leaves pixels outside the mask alone', () => {
    const [W, H] = [40, 40];
    const od = new Float32Array(W * H);
    const mask = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const inside = (x - 20) ** 2 + (y - 20) ** 2 <= 64;
      od[y * W + x] = inside ? 0.8 : 0;
      mask[y * W + x] = inside || x < 2 ? 1 : 0;
    }
    const relief = new Float32Array(W * H).fill(5);
    addBlobRelief(relief, od, mask, W, H, 6, 10, 0.5);
    expect(relief[20 * W + 20]).toBeGreaterThan(5.5);
    expect(relief[20 * W + 26]).toBeLessThan(relief[20 * W + 20]);
    expect(relief[20 * W + 26]).toBeGreaterThan(relief[20 * W + 28]);
    expect(relief[20 * W + 34]).toBe(5);
  });
});

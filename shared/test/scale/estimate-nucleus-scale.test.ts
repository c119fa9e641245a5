import { RestainError } from '../../src/errors';
import { type Raster, createRaster } from '../../src/image/raster';
import {
  DIAMETER_PER_SIGMA,
  MAX_REFERENCE_SCALE_FACTOR,
  MIN_REFERENCE_SCALE_FACTOR,
  REFERENCE_NUCLEUS_DIAMETER_PX,
  estimateFromBlobs,
  estimateNucleusScale,
  pickScaleSampleRegion,
} from '../../src/scale/estimate-nucleus-scale';
import type { ScaleSpaceBlob } from '../../src/scale/detect-scale-space-blobs';
import { REFERENCE_PIXEL_SIZE_MICRONS } from '../../src/scale/resolution';
import { createRandom, renderNucleiFixture } from './render-nuclei-fixture';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function expectWithin(actual: number, expected: number, tolerance: number): void {
  expect(actual).toBeGreaterThanOrEqual(expected * (1 - tolerance));
  expect(actual).toBeLessThanOrEqual(expected * (1 + tolerance));
}

describe('estimateNucleusScale on synthetic IHC fields of known nucleus size', () => {
  it.each([
    { diameterPx: 10, size: 384, coverage: 0.3 },
    { diameterPx: 28, size: 512, coverage: 0.3 },
    { diameterPx: 64, size: 896, coverage: 0.3 },
  ])('measures $diameterPx px nuclei within 20 %', ({ diameterPx, size, coverage }) => {
    const fixture = renderNucleiFixture({ width: size, height: size, diameterPx, coverage, seed: diameterPx });
    const truth = median(fixture.diameters);
    const estimate = estimateNucleusScale(fixture.image);
    expectWithin(estimate.nucleusDiameterPx, truth, 0.2);
    expectWithin(estimate.referenceScaleFactor, REFERENCE_NUCLEUS_DIAMETER_PX / truth, 0.2);
    expect(estimate.pixelSizeMicrons).toBeCloseTo(REFERENCE_PIXEL_SIZE_MICRONS * estimate.referenceScaleFactor, 10);
    expect(estimate.confidence).toBeGreaterThan(0.6);
    expect(estimate.nucleiSampled).toBeGreaterThan(20);
  });

  it('follows the magnification: the same tissue at twice the size gives half the factor', () => {
    const small = estimateNucleusScale(renderNucleiFixture({ width: 512, height: 512, diameterPx: 16, coverage: 0.35, seed: 7 }).image);
    const large = estimateNucleusScale(renderNucleiFixture({ width: 768, height: 768, diameterPx: 32, coverage: 0.35, seed: 7 }).image);
    expectWithin(small.referenceScaleFactor / large.referenceScaleFactor, 2, 0.15);
  });

  it('reads the whole nucleus, not the darker chromatin grains inside it', () => {
    const fixture = renderNucleiFixture({ width: 640, height: 640, diameterPx: 48, coverage: 0.3, seed: 11, positiveFraction: 0 });
    const random = createRandom(5);
    const { data, width } = fixture.image;
    // Sprinkle 2 px dark grains over the nuclei only (pixels already darker than the glass).
    for (let i = 0; i < 6000; i++) {
      const x = 2 + Math.floor(random() * (width - 4));
      const y = 2 + Math.floor(random() * (width - 4));
      if (data[(y * width + x) * 3] > 200) continue;
      for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) for (let c = 0; c < 3; c++) data[((y + dy) * width + x + dx) * 3 + c] *= 0.7;
    }
    expectWithin(estimateNucleusScale(fixture.image).nucleusDiameterPx, median(fixture.diameters), 0.2);
  });

  it('gives grayscale and RGBA input the same reading as RGB', () => {
    const rgb = renderNucleiFixture({ width: 320, height: 320, diameterPx: 20, coverage: 0.3, seed: 3 }).image;
    const rgba = createRaster(rgb.width, rgb.height, 4, 255);
    const gray = createRaster(rgb.width, rgb.height, 1);
    for (let p = 0; p < rgb.width * rgb.height; p++) {
      for (let c = 0; c < 3; c++) rgba.data[p * 4 + c] = rgb.data[p * 3 + c];
      gray.data[p] = Math.min(rgb.data[p * 3], rgb.data[p * 3 + 1], rgb.data[p * 3 + 2]);
    }
    const reference = estimateNucleusScale(rgb);
    expect(estimateNucleusScale(rgba)).toEqual(reference);
    expect(estimateNucleusScale(gray)).toEqual(reference);
  });
});

describe('estimateFromBlobs at high magnification', () => {
  /** 400 small blobs (6-13 px) over a 1280 px sample, each standing for 11x its area (fine octaves' crops). */
  function smallBlobs(response: (random: () => number) => number, sigma: (random: () => number) => number): ScaleSpaceBlob[] {
    const random = createRandom(3);
    return Array.from({ length: 400 }, () => ({ x: random() * 1280, y: random() * 1280, sigma: sigma(random), response: response(random), areaWeight: 11 }));
  }
  /** 16 large, clearly stained nuclei 88 px across on a grid. */
  const large: ScaleSpaceBlob[] = Array.from({ length: 16 }, (_, i) => ({
    x: 160 + 320 * (i % 4), y: 160 + 320 * Math.floor(i / 4), sigma: 88 / DIAMETER_PER_SIGMA, response: 0.15, areaWeight: 1,
  }));

  it('reads the few large nuclei, not the faint grains of scattered size that outnumber them', () => {
    const grains = smallBlobs((random) => 0.021 + 0.008 * random(), (random) => (6 + 7 * random()) / DIAMETER_PER_SIGMA);
    // The grains alone are a small, unsure reading: what the estimate would answer without the check.
    const grainReading = estimateFromBlobs(grains);
    expect(grainReading.nucleusDiameterPx).toBeLessThan(16);
    expect(grainReading.confidence).toBeLessThan(0.2);
    const estimate = estimateFromBlobs([...grains, ...large]);
    expectWithin(estimate.nucleusDiameterPx, 88, 0.1);
    expect(estimate.confidence).toBeGreaterThan(grainReading.confidence);
  });

  it('keeps small nuclei read with confidence (a 10x image) even beside larger blobs', () => {
    const nuclei = smallBlobs((random) => 0.08 + 0.04 * random(), (random) => (7.5 + random()) / DIAMETER_PER_SIGMA);
    const estimate = estimateFromBlobs([...nuclei, ...large]);
    expectWithin(estimate.nucleusDiameterPx, 8, 0.15);
    expect(estimate.confidence).toBeGreaterThan(0.5);
  });
});

describe('estimateFromBlobs on a spread of nucleus sizes', () => {
  /**
   * 300 blobs whose size-weighted histogram is flat from 12 to 60 px (pale small nuclei beside dark
   * large ones, as in breast tumour fields), on a grid so no blob hides another; the seed varies the draw.
   */
  function spreadField(seed: number): ScaleSpaceBlob[] {
    const random = createRandom(seed);
    return Array.from({ length: 300 }, (_, i) => {
      let diameter = 12 * 5 ** random();
      while (random() > (diameter / 12) ** -1.25) diameter = 12 * 5 ** random();
      return { x: 50 + 100 * (i % 20), y: 50 + 100 * Math.floor(i / 20), sigma: diameter / DIAMETER_PER_SIGMA, response: 0.03 + 0.1 * random(), areaWeight: 1 };
    });
  }

  it('reads the middle of the spread, and draws of the same field agree within 1.5x', () => {
    // A narrow mode lands on whichever size bump the draw happens to make (19-42 px here): stain or
    // scanner changes that shift a few blobs would move the whole image's scale 2x.
    const readings = Array.from({ length: 12 }, (_, i) => estimateFromBlobs(spreadField(i + 1)).nucleusDiameterPx);
    for (const reading of readings) {
      expect(reading).toBeGreaterThan(18);
      expect(reading).toBeLessThan(40);
    }
    expect(Math.max(...readings) / Math.min(...readings)).toBeLessThan(1.5);
  });
});

describe('estimateNucleusScale on images without nuclei', () => {
  it('answers confidence 0 and factor 1 for a blank image', () => {
    const estimate = estimateNucleusScale(createRaster(600, 400, 3, 238));
    expect(estimate).toEqual({
      nucleusDiameterPx: REFERENCE_NUCLEUS_DIAMETER_PX,
      referenceScaleFactor: 1,
      pixelSizeMicrons: REFERENCE_PIXEL_SIZE_MICRONS,
      confidence: 0,
      nucleiSampled: 0,
    });
  });

  it('answers confidence 0 for noisy glass and for fully transparent RGBA', () => {
    const noisy = createRaster(512, 512, 3);
    const random = createRandom(9);
    for (let i = 0; i < noisy.data.length; i++) noisy.data[i] = 232 + Math.floor(random() * 9);
    expect(estimateNucleusScale(noisy).confidence).toBe(0);
    expect(estimateNucleusScale(createRaster(256, 256, 4, 0)).confidence).toBe(0);
  });

  it('answers confidence 0 for a sample too small to hold nuclei', () => {
    const tiny = renderNucleiFixture({ width: 24, height: 200, diameterPx: 8, coverage: 0.3 }).image;
    expect(estimateNucleusScale(tiny)).toMatchObject({ confidence: 0, referenceScaleFactor: 1 });
  });
});

describe('estimateNucleusScale limits', () => {
  it('clamps the factor to [1/8, 4] and halves the confidence when it does', () => {
    const huge = renderNucleiFixture({ width: 1400, height: 1400, diameterPx: 300, coverage: 0.35, seed: 2, sizeJitter: 0.05 });
    const estimate = estimateNucleusScale(huge.image);
    expect(estimate.referenceScaleFactor).toBe(MIN_REFERENCE_SCALE_FACTOR);
    expect(estimate.nucleusDiameterPx).toBeGreaterThan(REFERENCE_NUCLEUS_DIAMETER_PX / MIN_REFERENCE_SCALE_FACTOR);
    expect(estimate.confidence).toBeLessThanOrEqual(0.5);
    expect(MAX_REFERENCE_SCALE_FACTOR).toBe(4);
  });

  it('rejects a raster whose data does not match its dimensions', () => {
    const broken: Raster = { width: 10, height: 10, channels: 3, data: new Uint8Array(299) };
    expect(() => estimateNucleusScale(broken)).toThrow(RestainError);
    expect(() => estimateNucleusScale(broken)).toThrow('Expected 10 x 10 x 3 = 300 bytes but received 299');
  });
});

describe('pickScaleSampleRegion', () => {
  it('keeps an image that fits in 2048 x 2048 whole', () => {
    expect(pickScaleSampleRegion(1381, 949)).toEqual({ x: 0, y: 0, width: 1381, height: 949 });
  });

  it('takes the central 2048 px square of a large image', () => {
    expect(pickScaleSampleRegion(4080, 3072)).toEqual({ x: 1016, y: 512, width: 2048, height: 2048 });
    expect(pickScaleSampleRegion(100_000, 900)).toEqual({ x: 48_976, y: 0, width: 2048, height: 900 });
  });

  it('rejects dimensions that are not positive integers', () => {
    expect(() => pickScaleSampleRegion(0, 10)).toThrow(RestainError);
    expect(() => pickScaleSampleRegion(10.5, 10)).toThrow('Expected positive integer image dimensions but received 10.5 x 10');
  });
});

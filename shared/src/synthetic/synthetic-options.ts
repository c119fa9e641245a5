import { RestainError } from '../errors';
import { REFERENCE_PIXEL_SIZE_MICRONS } from '../scale/resolution';

/** Stroma, haze and empty (white) regions behind the nuclei. */
export interface SyntheticBackgroundOptions {
  /** Strength of the faint hematoxylin + non-specific DAB haze over tissue (0 = none, 1 = typical). */
  readonly hazeStrength?: number;
  /** Contrast of the fibrous stroma texture in the haze (0 = flat, 1 = strong). */
  readonly stromaTexture?: number;
  /** Fraction of the image that is empty (lumen, glass) with no tissue and no nuclei, 0..0.8. */
  readonly emptyAreaFraction?: number;
}

/** Parameters of one synthetic IHC image; the same options always give the same bytes. */
export interface SyntheticOptions {
  readonly width: number;
  readonly height: number;
  /** Integer seed of the generator. */
  readonly seed: number;
  /** Physical pixel size; default 0.25 µm/px (the 40x reference). */
  readonly pixelSizeMicrons?: number;
  /** Exact number of nuclei; takes precedence over cellDensityPerMm2. */
  readonly cellCount?: number;
  /** Nuclei per mm² of image area (default 3000) when cellCount is not given. */
  readonly cellDensityPerMm2?: number;
  /** Fraction of positive (DAB) nuclei, 0..1; the count is round(fraction x cells). */
  readonly positiveFraction?: number;
  /** Fraction of nuclei placed in touching pairs or triples, 0..1 (default 0.2). */
  readonly touchingPairFraction?: number;
  /** Range of nucleus equivalent diameters in µm (default 6..10). */
  readonly nucleusDiameterMicrons?: { readonly min: number; readonly max: number };
  readonly background?: SyntheticBackgroundOptions;
  /** Standard deviation of per-pixel sensor noise in 8-bit levels (default 2). */
  readonly noiseLevel?: number;
}

/** Options with every default filled in and the cell count fixed. */
export interface ResolvedSyntheticOptions {
  readonly width: number;
  readonly height: number;
  readonly seed: number;
  readonly pixelSizeMicrons: number;
  readonly cellCount: number;
  readonly positiveFraction: number;
  readonly touchingPairFraction: number;
  readonly minDiameterMicrons: number;
  readonly maxDiameterMicrons: number;
  readonly hazeStrength: number;
  readonly stromaTexture: number;
  readonly emptyAreaFraction: number;
  readonly noiseLevel: number;
}

/** The project's own sample image: 1024 x 768 at 40x, 150 nuclei, 30 % positive, some touching pairs. */
export const SAMPLE_IMAGE_OPTIONS: SyntheticOptions = Object.freeze({
  width: 1024,
  height: 768,
  seed: 20240611,
  pixelSizeMicrons: REFERENCE_PIXEL_SIZE_MICRONS,
  cellCount: 150,
  positiveFraction: 0.3,
  touchingPairFraction: 0.2,
  background: Object.freeze({ hazeStrength: 1, stromaTexture: 0.4, emptyAreaFraction: 0.12 }),
  noiseLevel: 2,
});

const MAX_PIXELS = 16384 * 16384;

function check(name: string, value: number, ok: boolean, expected: string): void {
  if (!ok) throw new RestainError('INVALID_ARGUMENT', `Expected ${expected} for ${name} but received ${value}`);
}

function inRange(name: string, value: number, min: number, max: number): number {
  check(name, value, Number.isFinite(value) && value >= min && value <= max, `a number in [${min}, ${max}]`);
  return value;
}

/** Validates options and fills defaults; throws RestainError INVALID_ARGUMENT on bad values. */
export function resolveSyntheticOptions(options: SyntheticOptions): ResolvedSyntheticOptions {
  const { width, height, seed } = options;
  check('width', width, Number.isInteger(width) && width >= 16, 'an integer >= 16');
  check('height', height, Number.isInteger(height) && height >= 16, 'an integer >= 16');
  check('width x height', width * height, width * height <= MAX_PIXELS, `at most ${MAX_PIXELS} pixels`);
  check('seed', seed, Number.isSafeInteger(seed), 'a safe integer');
  const pixelSizeMicrons = inRange('pixelSizeMicrons', options.pixelSizeMicrons ?? REFERENCE_PIXEL_SIZE_MICRONS, 0.05, 2);
  const diameters = options.nucleusDiameterMicrons ?? { min: 6, max: 10 };
  const minDiameterMicrons = inRange('nucleusDiameterMicrons.min', diameters.min, 1, 50);
  const maxDiameterMicrons = inRange('nucleusDiameterMicrons.max', diameters.max, minDiameterMicrons, 50);
  check('nucleus diameter in pixels', minDiameterMicrons / pixelSizeMicrons, minDiameterMicrons / pixelSizeMicrons >= 4, 'at least 4 px (larger nuclei or smaller pixelSizeMicrons)');
  let cellCount: number;
  if (options.cellCount !== undefined) {
    check('cellCount', options.cellCount, Number.isInteger(options.cellCount) && options.cellCount >= 0, 'a non-negative integer');
    cellCount = options.cellCount;
  } else {
    const density = inRange('cellDensityPerMm2', options.cellDensityPerMm2 ?? 3000, 0, 100000);
    const areaMm2 = (width * pixelSizeMicrons * height * pixelSizeMicrons) / 1e6;
    cellCount = Math.round(density * areaMm2);
  }
  const background = options.background ?? {};
  return {
    width,
    height,
    seed,
    pixelSizeMicrons,
    cellCount,
    positiveFraction: inRange('positiveFraction', options.positiveFraction ?? 0.3, 0, 1),
    touchingPairFraction: inRange('touchingPairFraction', options.touchingPairFraction ?? 0.2, 0, 1),
    minDiameterMicrons,
    maxDiameterMicrons,
    hazeStrength: inRange('background.hazeStrength', background.hazeStrength ?? 1, 0, 5),
    stromaTexture: inRange('background.stromaTexture', background.stromaTexture ?? 0.5, 0, 1),
    emptyAreaFraction: inRange('background.emptyAreaFraction', background.emptyAreaFraction ?? 0.1, 0, 0.8),
    noiseLevel: inRange('noiseLevel', options.noiseLevel ?? 2, 0, 50),
  };
}

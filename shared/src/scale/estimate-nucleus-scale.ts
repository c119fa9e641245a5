import { RestainError } from '../errors';
import type { Raster } from '../image/raster';
import { REFERENCE_PIXEL_SIZE_MICRONS } from './resolution';
import { type ScaleSpaceBlob, detectScaleSpaceBlobs } from './detect-scale-space-blobs';
import { type ScaleSampleRegion, nuclearOpticalDensity } from './nuclear-optical-density';
import { suppressOverlappingBlobs } from './suppress-overlapping-blobs';
import { summariseBlobSizes } from './summarise-blob-sizes';

export type { ScaleSampleRegion } from './nuclear-optical-density';

/**
 * Typical nucleus diameter at the 40x reference (0.25 µm/px), in px: median equivalent diameter
 * (sqrt(4 area / pi)) of the 399 whole cells in the DeepLIIF ground truth (test-groundtruth 22_2,
 * 34_3 and panel 6 of paired Lung1, Bladder1), measured by gpu-worker/dev/check-scale-reference.ts.
 */
export const REFERENCE_NUCLEUS_DIAMETER_PX = 28;

/** Resize factors outside [1/8, 4] are clamped: beyond them the estimate is more likely wrong than the slide. */
export const MIN_REFERENCE_SCALE_FACTOR = 1 / 8;
export const MAX_REFERENCE_SCALE_FACTOR = 4;

/** Largest sample side: a central 2048 px square holds hundreds of nuclei at any magnification we accept. */
export const SCALE_SAMPLE_MAX_SIDE_PX = 2048;

/** What the image says about its own nucleus size, and the resize that brings it to the 40x reference. */
export interface NucleusScaleEstimate {
  /** Typical nucleus equivalent diameter in the given image, px (the reference diameter when blank). */
  readonly nucleusDiameterPx: number;
  /** Factor that resizes the image so nuclei match the reference (>1 enlarges), clamped to [1/8, 4]. */
  readonly referenceScaleFactor: number;
  /** Estimated input pixel size, µm/px (0.25 x factor). */
  readonly pixelSizeMicrons: number;
  /** 0 (nothing nucleus-like: blank or background) to 1 (many consistent, well-stained nuclei). */
  readonly confidence: number;
  /** Nuclei (blobs after overlap suppression) the estimate rests on. */
  readonly nucleiSampled: number;
}

/**
 * Equivalent diameter per blob sigma. A flat disc answers at sigma = r / sqrt(2) (2 sqrt 2 = 2.83
 * per sigma); real nuclei are thicker in the middle than at the rim and answer at a smaller sigma
 * than their outline, so the factor is fitted to the DeepLIIF masks the reference comes from
 * (median typical sigma x 2 sqrt 2 / mask diameter = 0.79 over their four tiles,
 * gpu-worker/dev/check-scale.ts; 0.83 before the size histogram's smoothing widened to 0.6).
 */
export const DIAMETER_PER_SIGMA = (2 * Math.SQRT2) / 0.79;
/** Weakest blob (normalised response, saturated-OD units) kept: the palest hematoxylin nuclei reach ~0.03. */
const MIN_BLOB_RESPONSE = 0.02;
/** Typical response of a clearly stained nucleus: full marks for contrast in the confidence. */
const CLEAR_NUCLEUS_RESPONSE = 0.06;
/**
 * Estimates under this diameter (px) with confidence under GRAIN_CONFIDENCE are checked against
 * the larger blobs alone: a low-magnification image's nuclei (7-14 px at 10x-20x) are read with
 * high confidence, while a high-magnification image read as grains is not (bcdata tiles at 2x:
 * 8 px at confidence 0.02-0.16 against 85-105 px at 0.36-0.51 without the grains).
 */
const GRAIN_DIAMETER_PX = 16;
const GRAIN_CONFIDENCE = 0.2;
/** Octaves are searched in central crops of at most this side: ~1000 nucleus-sized blobs, bounded cost. */
const MAX_OCTAVE_SIDE_PX = 384;
/** Smaller samples hold too few nuclei to say anything. */
const MIN_SAMPLE_SIDE_PX = 32;

/** Central crop of at most 2048 x 2048 px: the part of a large image the scale is estimated on. */
export function pickScaleSampleRegion(width: number, height: number): ScaleSampleRegion {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RestainError('INVALID_ARGUMENT', `Expected positive integer image dimensions but received ${width} x ${height}`);
  }
  const sampleWidth = Math.min(width, SCALE_SAMPLE_MAX_SIDE_PX);
  const sampleHeight = Math.min(height, SCALE_SAMPLE_MAX_SIDE_PX);
  return { x: (width - sampleWidth) >> 1, y: (height - sampleHeight) >> 1, width: sampleWidth, height: sampleHeight };
}

/**
 * Estimate the typical nucleus diameter of a brightfield IHC image (hematoxylin and DAB nuclei)
 * from scale-space blobs of its nuclear optical density, and the factor that resizes it to the
 * 40x reference. Looks at the central 2048 px square at most; blank images get confidence 0, factor 1.
 */
export function estimateNucleusScale(rgb: Raster): NucleusScaleEstimate {
  if (rgb.data.length !== rgb.width * rgb.height * rgb.channels) {
    throw new RestainError(
      'INVALID_ARGUMENT',
      `Expected ${rgb.width} x ${rgb.height} x ${rgb.channels} = ${rgb.width * rgb.height * rgb.channels} bytes but received ${rgb.data.length}`,
    );
  }
  const region = pickScaleSampleRegion(rgb.width, rgb.height);
  if (region.width < MIN_SAMPLE_SIDE_PX || region.height < MIN_SAMPLE_SIDE_PX) return blankEstimate();
  const density = nuclearOpticalDensity(rgb, region);
  const maxDiameterPx = (REFERENCE_NUCLEUS_DIAMETER_PX / MIN_REFERENCE_SCALE_FACTOR) * 1.5;
  const blobs = detectScaleSpaceBlobs(density, {
    minResponse: MIN_BLOB_RESPONSE,
    maxSigmaPx: maxDiameterPx / DIAMETER_PER_SIGMA,
    maxOctaveSidePx: MAX_OCTAVE_SIDE_PX,
  });
  return estimateFromBlobs(blobs);
}

/**
 * The estimate from scale-space blobs (before overlap suppression), in the sampled region's pixels.
 * Exported for tests.
 */
export function estimateFromBlobs(blobs: readonly ScaleSpaceBlob[]): NucleusScaleEstimate {
  const nuclei = suppressOverlappingBlobs(blobs);
  if (nuclei.length === 0) return blankEstimate();
  const estimate = summarise(nuclei);
  if (estimate.nucleusDiameterPx >= GRAIN_DIAMETER_PX || estimate.confidence >= GRAIN_CONFIDENCE) return estimate;
  // Small and unsure: at high magnification the stain's grains (DAB granules, chromatin, stroma
  // specks) become blobs of their own and can outnumber the few large nuclei. Read the sizes
  // again without them, and keep whichever reading is surer.
  const large = suppressOverlappingBlobs(blobs.filter((blob) => blob.sigma * DIAMETER_PER_SIGMA >= GRAIN_DIAMETER_PX));
  if (large.length === 0) return estimate;
  const without = summarise(large);
  return without.confidence > estimate.confidence ? without : estimate;
}

function summarise(nuclei: readonly ScaleSpaceBlob[]): NucleusScaleEstimate {
  const sizes = summariseBlobSizes(nuclei);
  const nucleusDiameterPx = DIAMETER_PER_SIGMA * sizes.sigma;
  const rawFactor = REFERENCE_NUCLEUS_DIAMETER_PX / nucleusDiameterPx;
  const factor = Math.min(MAX_REFERENCE_SCALE_FACTOR, Math.max(MIN_REFERENCE_SCALE_FACTOR, rawFactor));
  // Confidence: enough nuclei agreeing on one size, sizes concentrated, and real stain contrast.
  const countScore = 1 - Math.exp(-sizes.consistentCount / 15);
  const concentrationScore = clamp01((sizes.concentration - 0.3) / 0.4);
  const contrastScore = clamp01((sizes.typicalResponse - MIN_BLOB_RESPONSE) / (CLEAR_NUCLEUS_RESPONSE - MIN_BLOB_RESPONSE));
  const clampScore = factor === rawFactor ? 1 : 0.5;
  return {
    nucleusDiameterPx,
    referenceScaleFactor: factor,
    pixelSizeMicrons: REFERENCE_PIXEL_SIZE_MICRONS * factor,
    confidence: countScore * concentrationScore * contrastScore * clampScore,
    nucleiSampled: nuclei.length,
  };
}

function blankEstimate(): NucleusScaleEstimate {
  return {
    nucleusDiameterPx: REFERENCE_NUCLEUS_DIAMETER_PX,
    referenceScaleFactor: 1,
    pixelSizeMicrons: REFERENCE_PIXEL_SIZE_MICRONS,
    confidence: 0,
    nucleiSampled: 0,
  };
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

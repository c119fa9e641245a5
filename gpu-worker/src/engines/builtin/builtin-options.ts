import { REFERENCE_PIXEL_SIZE_MICRONS, RestainError } from '@restain/shared';
import type { PixelSegmentationParameters } from './nucleus-parameters';

/**
 * Built-in engine settings in physical units at the 40x reference scale (0.25 µm/px), so one
 * set works for every input once it is resized to that scale. Defaults tuned on the real data
 * sets (gpu-worker/dev/tune-builtin.ts).
 */
export interface BuiltinOptions {
  /** Gaussian sigma (µm) on the nuclear OD before thresholding. */
  readonly smoothingSigmaMicrons: number;
  /**
   * Image-wide floor on nuclear OD = clamp(Otsu threshold of the image's nuclear OD x scale, min,
   * max). The defaults pin it at 0.05 OD (min = max): on the real data the local top-hat contrast
   * does the adaptive work and an Otsu-raised floor lost pale nuclei; raise max to let Otsu act.
   */
  readonly thresholdScale: number;
  readonly thresholdMinOd: number;
  readonly thresholdMaxOd: number;
  /** Edge (µm) of the square window whose grey opening is the local non-nuclear OD. */
  readonly backgroundWindowMicrons: number;
  /** OD by which nuclear stain must exceed its local background (top-hat threshold). */
  readonly contrastOd: number;
  /**
   * Hematoxylin OD by which a pixel's hematoxylin alone must exceed its local hematoxylin
   * background to be nucleus as well (0 = off): a beige, DAB-tinted background raises the local
   * nuclear-OD background and hides pale blue nuclei from the combined top-hat.
   */
  readonly hematoxylinContrastOd: number;
  /** Lower top-hat contrast (OD) at which isolated objects still count as (pale) nuclei; 0 = off. */
  readonly paleContrastOd: number;
  /** Smallest pale nucleus (µm²) the lower contrast may add: about half a typical nucleus. */
  readonly paleMinAreaMicrons2: number;
  /** Radius (µm) of the opening that strips halos from foreground the nuclei left unclaimed; 0 = off. */
  readonly leftoverOpeningMicrons: number;
  /** Smallest unclaimed piece (µm²) that becomes a nucleus of its own. */
  readonly leftoverMinAreaMicrons2: number;
  /** Smoothed DAB OD from which a pixel is DAB-stained (stained and unstained nuclei are cut apart). */
  readonly dabPixelOd: number;
  /** Radius (µm) of the opening that cuts thin bridges between nuclei. */
  readonly openingRadiusMicrons: number;
  /** Enclosed pale areas up to this (µm²) belong to the nucleus around them. */
  readonly maxHoleAreaMicrons2: number;
  /** Smaller objects (µm²) are debris. */
  readonly minAreaMicrons2: number;
  /** Minimum dynamic (µm) of a distance-map maximum that seeds its own nucleus. */
  readonly splitDepthMicrons: number;
  /** Gaussian sigma (µm) on the distance map before seeding. */
  readonly distanceSigmaMicrons: number;
  /** µm of seeding relief per OD of nuclear stain (intensity valleys help split touching nuclei). */
  readonly intensityWeightMicronsPerOd: number;
  /** Gaussian sigma (µm) of the nuclear OD in the seeding relief. */
  readonly reliefSigmaMicrons: number;
  /** Nuclear OD above which the intensity term of the seeding relief saturates. */
  readonly intensityCapOd: number;
  /** Gaussian sigma (µm) of the Laplacian-of-Gaussian blob term of the seeding relief (a disc of radius r answers best at r / sqrt 2). */
  readonly blobSigmaMicrons: number;
  /** µm of seeding relief per unit of normalised LoG response of the capped nuclear OD (0 = off): keeps one maximum per blob-shaped nucleus. */
  readonly blobWeightMicrons: number;
  /** Each nucleus keeps pixels above this fraction of its peak nuclear OD (trims DAB halos). */
  readonly peakFraction: number;
  /** Peak nuclear OD is capped here before taking the fraction. */
  readonly peakCapOd: number;
  /**
   * Two touching nuclei are one nucleus cut in two when their shared boundary is at least this x
   * the smaller one's equivalent diameter (a cut runs across a nucleus; touching nuclei meet at a
   * narrower neck); 0 = never merge.
   */
  readonly mergeNeckRatio: number;
  /** ...and the mean OD along that boundary is at least this x the paler one's mean OD (no valley). */
  readonly mergeValleyRatio: number;
  /** Fill each nucleus out to its convex hull (closes the open rings of pale vesicular nuclei). */
  readonly convexFill: boolean;
  /** Each nucleus grows by this (µm) into unlabelled pixels: the threshold stops inside the visible edge. */
  readonly growRadiusMicrons: number;
  /** OD over local background that the growth needs (a lower, hysteresis threshold than contrastOd). */
  readonly growContrastOd: number;
  /** Nuclei with a mean nuclear OD (H + DAB) below this are dropped as pale cytoplasm or debris. */
  readonly minMeanOd: number;
  /** Rim (µm) left out when a nucleus' DAB is read for its class: rims carry cytoplasmic and neighbouring DAB (0 = whole nucleus). */
  readonly classifyCoreMicrons: number;
  /** Mean DAB OD of a nucleus' core from which it is positive. */
  readonly positiveDabOd: number;
  /** Minimum share of DAB in a positive nucleus' mean nuclear OD (H + DAB). */
  readonly positiveDabShare: number;
  /** Estimate stain vectors from each image (Macenko) instead of the Ruifrok-Johnston defaults. */
  readonly estimateStains: boolean;
  /** Estimate the glass intensity from each image instead of assuming white (255). */
  readonly estimateBackground: boolean;
}

export const DEFAULT_BUILTIN_OPTIONS: BuiltinOptions = Object.freeze({
  smoothingSigmaMicrons: 0.5,
  thresholdScale: 0.25,
  thresholdMinOd: 0.05,
  thresholdMaxOd: 0.05,
  dabPixelOd: 0.3,
  backgroundWindowMicrons: 10,
  contrastOd: 0.05,
  hematoxylinContrastOd: 0.05,
  paleContrastOd: 0,
  leftoverOpeningMicrons: 1,
  leftoverMinAreaMicrons2: 25,
  paleMinAreaMicrons2: 20,
  openingRadiusMicrons: 0.25,
  maxHoleAreaMicrons2: 12,
  minAreaMicrons2: 12,
  splitDepthMicrons: 0.2,
  distanceSigmaMicrons: 0.25,
  intensityWeightMicronsPerOd: 10,
  reliefSigmaMicrons: 1,
  intensityCapOd: 0.5,
  blobSigmaMicrons: 2.25,
  blobWeightMicrons: 10,
  peakFraction: 0.6,
  peakCapOd: 0.6,
  mergeNeckRatio: 1.1,
  mergeValleyRatio: 0.8,
  convexFill: true,
  growRadiusMicrons: 0,
  growContrastOd: 0.02,
  minMeanOd: 0,
  classifyCoreMicrons: 0,
  positiveDabOd: 0.25,
  positiveDabShare: 0,
  estimateStains: false,
  estimateBackground: true,
});

const BOOLEAN_KEYS = new Set<keyof BuiltinOptions>(['estimateStains', 'estimateBackground', 'convexFill']);

/** Validate partial options (unknown keys and wrong types are errors) over the defaults. */
export function parseBuiltinOptions(options: Record<string, unknown> = {}): BuiltinOptions {
  const out: Record<string, number | boolean> = { ...DEFAULT_BUILTIN_OPTIONS };
  for (const [key, value] of Object.entries(options)) {
    if (!(key in DEFAULT_BUILTIN_OPTIONS)) {
      throw new RestainError('INVALID_ARGUMENT', `Expected a built-in engine option (${Object.keys(DEFAULT_BUILTIN_OPTIONS).join(', ')}) but received "${key}"`);
    }
    if (BOOLEAN_KEYS.has(key as keyof BuiltinOptions)) {
      if (typeof value !== 'boolean') throw new RestainError('INVALID_ARGUMENT', `Expected a boolean for ${key} but received ${String(value)}`);
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RestainError('INVALID_ARGUMENT', `Expected a finite number >= 0 for ${key} but received ${String(value)}`);
    }
    out[key] = value as number | boolean;
  }
  if ((out.thresholdMinOd as number) > (out.thresholdMaxOd as number)) {
    throw new RestainError('INVALID_ARGUMENT', `Expected thresholdMinOd <= thresholdMaxOd but received ${out.thresholdMinOd} > ${out.thresholdMaxOd}`);
  }
  return Object.freeze(out) as unknown as BuiltinOptions;
}

/** Convert physical settings to pixels at the reference scale, with the image's threshold. */
export function toPixelParameters(options: BuiltinOptions, threshold: number): PixelSegmentationParameters {
  const px = 1 / REFERENCE_PIXEL_SIZE_MICRONS;
  return {
    smoothingSigma: options.smoothingSigmaMicrons * px,
    threshold,
    dabPixelOd: options.dabPixelOd,
    backgroundWindow: Math.max(1, Math.round(options.backgroundWindowMicrons * px)) | 1,
    contrast: options.contrastOd,
    hematoxylinContrast: options.hematoxylinContrastOd,
    paleContrast: options.paleContrastOd,
    leftoverOpeningRadius: options.leftoverOpeningMicrons * px,
    leftoverMinArea: options.leftoverMinAreaMicrons2 * px * px,
    paleMinArea: options.paleMinAreaMicrons2 * px * px,
    openingRadius: options.openingRadiusMicrons * px,
    maxHoleArea: options.maxHoleAreaMicrons2 * px * px,
    minArea: options.minAreaMicrons2 * px * px,
    splitDepth: options.splitDepthMicrons * px,
    distanceSigma: options.distanceSigmaMicrons * px,
    intensityWeight: options.intensityWeightMicronsPerOd * px,
    reliefSigma: options.reliefSigmaMicrons * px,
    intensityCap: options.intensityCapOd,
    blobSigma: options.blobSigmaMicrons * px,
    blobWeight: options.blobWeightMicrons * px,
    peakFraction: options.peakFraction,
    peakCap: options.peakCapOd,
    mergeNeckRatio: options.mergeNeckRatio,
    mergeValleyRatio: options.mergeValleyRatio,
    convexFill: options.convexFill,
    growRadius: options.growRadiusMicrons * px,
    growContrast: options.growContrastOd,
    minMeanOd: options.minMeanOd,
    classifyCoreDepth: options.classifyCoreMicrons * px,
    positiveDab: options.positiveDabOd,
    positiveDabShare: options.positiveDabShare,
  };
}

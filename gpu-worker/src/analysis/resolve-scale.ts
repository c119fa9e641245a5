import {
  type NucleusScaleEstimate,
  type Raster,
  type Rect,
  type ScaleSpec,
  estimateNucleusScale,
  pickScaleSampleRegion,
  pixelSizeForMagnification,
  referenceScaleFactor,
  REFERENCE_PIXEL_SIZE_MICRONS,
} from '@restain/shared';

/** How the input is resized to the engine's 40x reference scale, and why. */
export interface ResolvedScale {
  readonly spec: ScaleSpec;
  /** Working px per input px. */
  readonly factor: number;
  /** Input pixel size in microns (given, implied by the magnification, or estimated). */
  readonly pixelSizeMicrons: number;
  readonly estimate: NucleusScaleEstimate | null;
}

/** Factors this close to 1 skip resizing: resampling would only blur the image. */
const NO_RESIZE_TOLERANCE = 0.03;

/** Turn the user's scale choice into a resize factor, estimating the nucleus size for `auto`. */
export async function resolveScale(
  spec: ScaleSpec,
  width: number,
  height: number,
  readSample: (region: Rect) => Promise<Raster>,
): Promise<ResolvedScale> {
  let pixelSizeMicrons: number;
  let estimate: NucleusScaleEstimate | null = null;
  if (spec.kind === 'magnification') {
    pixelSizeMicrons = pixelSizeForMagnification(spec.magnification);
  } else if (spec.kind === 'pixelSize') {
    pixelSizeMicrons = spec.pixelSizeMicrons;
  } else {
    estimate = estimateNucleusScale(await readSample(pickScaleSampleRegion(width, height)));
    pixelSizeMicrons = REFERENCE_PIXEL_SIZE_MICRONS * estimate.referenceScaleFactor;
  }
  let factor = referenceScaleFactor(pixelSizeMicrons);
  if (Math.abs(factor - 1) < NO_RESIZE_TOLERANCE) factor = 1;
  return { spec, factor, pixelSizeMicrons, estimate };
}

/** Human-readable form of a scale choice for logs and manifests. */
export function describeScale(spec: ScaleSpec): string {
  if (spec.kind === 'magnification') return spec.magnification;
  if (spec.kind === 'pixelSize') return `${spec.pixelSizeMicrons} µm/px`;
  return 'auto';
}

import type { FloatPlane } from '../image/raster';
import { cropCentre, downsampleByTwo, gaussianBlur, normalisedHessianResponse } from './gaussian-scale-space';

/** A blob at a scale-space maximum of the normalised Hessian response, in the sampled region's pixels. */
export interface ScaleSpaceBlob {
  readonly x: number;
  readonly y: number;
  /** Gaussian scale of the maximum (a disc of radius r answers at r / sqrt(2)), px. */
  readonly sigma: number;
  /** Normalised Hessian response, in units of the nuclear signal (saturated optical density). */
  readonly response: number;
  /** Sampled area the blob stands for: coarse octaves see more of the image than fine ones. */
  readonly areaWeight: number;
}

export interface BlobDetectionOptions {
  /** Weakest response kept as a blob; below it lie glass and noise. */
  readonly minResponse: number;
  /** Largest blob sigma to search, in input pixels. */
  readonly maxSigmaPx: number;
  /** Each octave is searched in at most this many pixels per side (a central crop), bounding cost. */
  readonly maxOctaveSidePx: number;
}

/** Blur each octave starts from (box downsampling leaves roughly this much). */
const ASSUMED_INPUT_SIGMA = 0.5;
const BASE_SIGMA = 1.6;
const SCALES_PER_OCTAVE = 3;
/** An octave smaller than this holds too few blob widths to find a maximum. */
const MIN_OCTAVE_SIDE_PX = 24;
/** Largest ratio of principal curvatures accepted at a blob centre (elongated nuclei reach ~4). */
const EDGE_RATIO = 10;

/**
 * Find scale-space maxima of the normalised determinant-of-Hessian response on a Gaussian pyramid:
 * each octave holds sigmas 1.6 * 2^(k/3), k = 0..4, and reports maxima at k = 1..3 (k = 0 and 4
 * only bound them), so octaves tile the scale axis without overlap. Sub-scale positions come from a
 * parabola through log sigma. Octave L is searched in a central crop of at most maxOctaveSidePx
 * (2^L input px per octave px); each blob's areaWeight makes up for the smaller area fine octaves see.
 */
export function detectScaleSpaceBlobs(density: FloatPlane, options: BlobDetectionOptions): ScaleSpaceBlob[] {
  const blobs: ScaleSpaceBlob[] = [];
  const regionArea = density.width * density.height;
  let octave: FloatPlane = density;
  for (let level = 0; ; level++) {
    const step = 2 ** level;
    if (BASE_SIGMA * 2 ** (1 / SCALES_PER_OCTAVE) * step > options.maxSigmaPx) break;
    if (Math.min(octave.width, octave.height) < MIN_OCTAVE_SIDE_PX) break;
    const cropWidth = Math.min(octave.width, options.maxOctaveSidePx);
    const cropHeight = Math.min(octave.height, options.maxOctaveSidePx);
    const crop = cropCentre(octave, cropWidth, cropHeight);
    const originX = ((octave.width - cropWidth) >> 1) * step;
    const originY = ((octave.height - cropHeight) >> 1) * step;
    const areaWeight = regionArea / (cropWidth * cropHeight * step * step);
    detectInOctave(crop, options.minResponse, (x, y, sigma, response) => {
      blobs.push({ x: originX + (x + 0.5) * step, y: originY + (y + 0.5) * step, sigma: sigma * step, response, areaWeight });
    });
    octave = downsampleByTwo(octave);
  }
  return blobs;
}

type BlobSink = (x: number, y: number, sigma: number, response: number) => void;

function detectInOctave(plane: FloatPlane, minResponse: number, sink: BlobSink): void {
  const sigmas: number[] = [];
  for (let k = 0; k <= SCALES_PER_OCTAVE + 1; k++) sigmas.push(BASE_SIGMA * 2 ** (k / SCALES_PER_OCTAVE));
  const blurred: FloatPlane[] = [gaussianBlur(plane, Math.sqrt(sigmas[0] ** 2 - ASSUMED_INPUT_SIGMA ** 2))];
  const responses: Float32Array[] = [normalisedHessianResponse(blurred[0], sigmas[0])];
  for (let k = 1; k < sigmas.length; k++) {
    blurred.push(gaussianBlur(blurred[k - 1], Math.sqrt(sigmas[k] ** 2 - sigmas[k - 1] ** 2)));
    responses.push(normalisedHessianResponse(blurred[k], sigmas[k]));
    if (k >= 2) {
      findMaxima(blurred[k - 1], responses[k - 2], responses[k - 1], responses[k], sigmas[k - 1], minResponse, sink);
    }
  }
}

function findMaxima(
  blurred: FloatPlane,
  below: Float32Array,
  here: Float32Array,
  above: Float32Array,
  sigma: number,
  minResponse: number,
  sink: BlobSink,
): void {
  // Blobs cut by the crop edge answer at the wrong scale: keep maxima about one radius inside.
  const { width, height } = blurred;
  const margin = Math.ceil(1.5 * sigma) + 1;
  for (let y = margin; y < height - margin; y++) {
    for (let x = margin; x < width - margin; x++) {
      const p = y * width + x;
      const v = here[p];
      if (v < minResponse) continue;
      // Strict on one side, non-strict on the other: a flat-topped pair yields exactly one maximum.
      if (v <= here[p - 1] || v < here[p + 1] || v <= here[p - width] || v < here[p + width]) continue;
      if (v <= here[p - width - 1] || v <= here[p - width + 1] || v < here[p + width - 1] || v < here[p + width + 1]) continue;
      if (!isScaleMaximum(v, below, p, width) || !isScaleMaximum(v, above, p, width)) continue;
      if (!isBlobLike(blurred.data, p, width)) continue;
      const a = below[p];
      const c = above[p];
      const curvature = a - 2 * v + c;
      const offset = curvature < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / curvature)) : 0;
      sink(x, y, sigma * 2 ** (offset / SCALES_PER_OCTAVE), v);
    }
  }
}

/**
 * Lowe's edge test on the Hessian: a peak whose curvatures differ by more than EDGE_RATIO is a rim
 * or a fibre, not a nucleus; the determinant alone still lets strongly elongated streaks through.
 */
function isBlobLike(data: Float32Array, p: number, width: number): boolean {
  const dxx = data[p - 1] - 2 * data[p] + data[p + 1];
  const dyy = data[p - width] - 2 * data[p] + data[p + width];
  const dxy = 0.25 * (data[p + width + 1] - data[p + width - 1] - data[p - width + 1] + data[p - width - 1]);
  const det = dxx * dyy - dxy * dxy;
  const trace = dxx + dyy;
  return det > 0 && trace < 0 && trace * trace < ((EDGE_RATIO + 1) ** 2 / EDGE_RATIO) * det;
}

function isScaleMaximum(v: number, plane: Float32Array, p: number, width: number): boolean {
  for (let dy = -width; dy <= width; dy += width) {
    if (plane[p + dy - 1] > v || plane[p + dy] > v || plane[p + dy + 1] > v) return false;
  }
  return true;
}

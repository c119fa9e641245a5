/**
 * Thresholds and result types of DeepLIIF-compatible post-processing.
 * Semantics follow deepliif/postprocessing.py of DeepLIIF 1.1.x-1.2 (nadeemlab/DeepLIIF:
 * create_posneg_mask, mark_background, compute_cell_mapping, calculate_default_size_threshold,
 * calculate_default_marker_threshold, create_cell_classification, enlarge_cell_boundaries).
 */
import { RestainError } from '../errors';
import type { Magnification } from '../scale/resolution';

/** R + B above this marks a cell pixel (DeepLIIF prob_thresh / seg_thresh; its library default is 150). */
export const DEFAULT_SEG_THRESH = 120;
/** A pixel with green (boundary probability) above this is never a cell pixel (DeepLIIF: 80). */
export const BOUNDARY_GREEN_THRESH = 80;
/** Components of at most this many pixels are noise, dropped before everything else (DeepLIIF: 4). */
export const DEFAULT_NOISE_THRESH = 4;
/** Grey levels of the DAB optical-density map per OD unit: grey 0..255 <-> OD 0..2.55. */
export const DAB_OD_LEVELS_PER_UNIT = 100;

export type SizeThresh = 'auto' | number;
export type MarkerThresh = 'none' | 'auto' | number;

export interface PostprocessOptions {
  /** 0..254: a pixel is a cell pixel when R + B > segThresh and G <= 80. */
  segThresh: number;
  /** Keep cells with area (px) > sizeThresh; 'auto' = DeepLIIF's KDE rule on the cell sizes. */
  sizeThresh: SizeThresh;
  /** Keep cells with area (px) < sizeThreshUpper; null = no upper limit. */
  sizeThreshUpper: number | null;
  /**
   * Keep cells with area >= this fraction of the median area of the cells the other size gates
   * keep (0: off, DeepLIIF's rules). Drops fragments and nuclei far smaller than the image's typical
   * one (lymphocytes, small stromal nuclei), which Ki67 scoring leaves out. Not a DeepLIIF option:
   * absent means 0 (results made before it existed); new analyses get DEFAULT_SIZE_THRESH_RELATIVE.
   */
  sizeThreshRelative?: number;
  /** A cell is positive too when its max marker value > markerThresh; 'auto' = DeepLIIF's 90% of range. */
  markerThresh: MarkerThresh;
  /** Magnification of the Seg image, bounds the 'auto' size threshold (default 40x). */
  resolution?: Magnification;
  /** Noise components of at most this many px are ignored (default DEFAULT_NOISE_THRESH). */
  noiseThresh?: number;
}

/** Restain's default for sizeThreshRelative (docs/accuracy.md: the median-area gate). */
export const DEFAULT_SIZE_THRESH_RELATIVE = 0.35;

export const DEFAULT_POSTPROCESS_OPTIONS: PostprocessOptions = Object.freeze({
  segThresh: DEFAULT_SEG_THRESH,
  sizeThresh: 'auto',
  sizeThreshUpper: null,
  sizeThreshRelative: DEFAULT_SIZE_THRESH_RELATIVE,
  markerThresh: 'none',
}) as PostprocessOptions;

/** One segmented cell. Coordinates are pixel indices (x right, y down, origin top-left). */
export interface Cell {
  /** 1-based; equals the value of the cell's pixels in `labels`. */
  readonly id: number;
  /** Centroid (mean pixel position), rounded to 0.01 px. */
  readonly x: number;
  readonly y: number;
  /** [x0, y0, x1, y1]: x1, y1 exclusive (width = x1 - x0). */
  readonly bbox: readonly [number, number, number, number];
  /** Pixels, including holes enclosed by the cell. */
  readonly area: number;
  readonly positive: boolean;
  /** Mean DAB optical density over the cell (OD units), null without a DAB map. */
  readonly meanDabOd: number | null;
  /** Mean marker grey level 0..255 (max over channels), null without a marker image. */
  readonly meanMarker: number | null;
  /** Highest marker level in the cell (what DeepLIIF's marker_thresh compares), null without a marker image. */
  readonly maxMarker: number | null;
  /** Closed outer contour through boundary pixels, clockwise, first point not repeated, collinear runs merged. */
  readonly boundary: ReadonlyArray<readonly [number, number]>;
}

export interface ExtractCellsResult {
  readonly width: number;
  readonly height: number;
  readonly cells: Cell[];
  /** Cell id per pixel (row-major), 0 = no cell. */
  readonly labels: Int32Array;
  readonly segThresh: number;
  /** The lower size threshold applied (px), resolved when 'auto'. */
  readonly sizeThresh: number;
  readonly sizeThreshUpper: number | null;
  /** The fraction of the median cell area applied as a lower size gate (0: none). */
  readonly sizeThreshRelative: number;
  /** The marker threshold applied, null when the marker played no part. */
  readonly markerThresh: number | null;
}

function invalid(name: string, expected: string, actual: unknown): RestainError {
  return new RestainError('INVALID_ARGUMENT', `Expected ${expected} for ${name} but received ${JSON.stringify(actual)}`);
}

function isWhole(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Throw a RestainError unless every threshold is in range. */
export function validatePostprocessOptions(options: PostprocessOptions): void {
  if (!isWhole(options.segThresh, 0, 254)) throw invalid('segThresh', 'a whole number from 0 to 254', options.segThresh);
  if (options.sizeThresh !== 'auto' && !(typeof options.sizeThresh === 'number' && options.sizeThresh >= 0 && Number.isFinite(options.sizeThresh))) {
    throw invalid('sizeThresh', "'auto' or a number >= 0", options.sizeThresh);
  }
  if (options.sizeThreshUpper !== null && !(typeof options.sizeThreshUpper === 'number' && options.sizeThreshUpper > 0)) {
    throw invalid('sizeThreshUpper', 'null or a number > 0', options.sizeThreshUpper);
  }
  const relative = options.sizeThreshRelative;
  if (relative !== undefined && !(typeof relative === 'number' && relative >= 0 && relative < 1)) {
    throw invalid('sizeThreshRelative', 'a fraction of the median cell area from 0 to below 1', relative);
  }
  const marker = options.markerThresh;
  if (marker !== 'none' && marker !== 'auto' && !isWhole(marker, 0, 255)) {
    throw invalid('markerThresh', "'none', 'auto' or a whole number from 0 to 255", marker);
  }
  if (options.resolution !== undefined && !['10x', '20x', '40x'].includes(options.resolution)) {
    throw invalid('resolution', "'10x', '20x' or '40x'", options.resolution);
  }
  if (options.noiseThresh !== undefined && !isWhole(options.noiseThresh, 0, Number.MAX_SAFE_INTEGER)) {
    throw invalid('noiseThresh', 'a whole number >= 0', options.noiseThresh);
  }
}

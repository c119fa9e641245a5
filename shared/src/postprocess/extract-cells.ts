import { RestainError } from '../errors';
import type { Raster } from '../image/raster';
import { createPosNegMask, labelComponents, markBackground } from './label-mask';
import { BOUNDARY_GREEN_THRESH, type Cell, type ExtractCellsResult, type PostprocessOptions, validatePostprocessOptions } from './postprocess-options';
import { type ComponentMeasures, componentCell, selectComponents } from './select-components';
import { simplifyContour, traceBoundary } from './trace-boundary';

/**
 * A map visited as bands of whole rows, top to bottom (so a large map never has to be held whole);
 * the band raster may be reused between calls.
 */
export type RasterBands = (visit: (y: number, band: Raster) => void) => void;

export interface ExtractCellsExtras {
  /** Inferred marker image, grey or RGB (the max over channels is used, as DeepLIIF does). */
  readonly marker?: Raster | RasterBands;
  /** DAB optical density map, grey: OD = value / DAB_OD_LEVELS_PER_UNIT. */
  readonly dabOd?: Raster | RasterBands;
}

function bandsOf(name: string, source: Raster | RasterBands, width: number, height: number): RasterBands {
  if (typeof source === 'function') return source;
  checkSameSize(name, source, width, height);
  return (visit) => visit(0, source);
}

/** Per-cell sums (and maxima, and a whole-map histogram when asked) of a map, band by band. */
function measureMap(name: string, bands: RasterBands, labels: Int32Array, width: number, height: number,
  sum: Float64Array, max: Float64Array | null, hist: Float64Array | null): void {
  let rows = 0;
  bands((y, band) => {
    if (band.width !== width || y !== rows) {
      throw new RestainError('INVALID_ARGUMENT', `Expected ${name} rows from ${rows} of width ${width} but received rows from ${y} of width ${band.width}`);
    }
    rows += band.height;
    const grey = greyMax(band);
    const offset = y * width;
    for (let i = 0; i < grey.length; i++) {
      const v = grey[i];
      if (hist) hist[v]++;
      const c = labels[offset + i];
      if (c === 0) continue;
      sum[c] += v;
      if (max && v > max[c]) max[c] = v;
    }
  });
  if (rows !== height) throw new RestainError('INVALID_ARGUMENT', `Expected ${height} rows of ${name} but received ${rows}`);
}

function checkSameSize(name: string, raster: Raster, width: number, height: number): void {
  if (raster.width !== width || raster.height !== height) {
    throw new RestainError('INVALID_ARGUMENT', `Expected ${name} of ${width}x${height} (the Seg size) but received ${raster.width}x${raster.height}`);
  }
}

/** One grey level per pixel: the max over the colour channels (alpha ignored). */
function greyMax(raster: Raster): Uint8Array {
  if (raster.channels === 1) return raster.data;
  const n = raster.width * raster.height;
  const grey = new Uint8Array(n);
  const c = raster.channels;
  for (let i = 0, p = 0; i < n; i++, p += c) {
    const r = raster.data[p], g = raster.data[p + 1], b = raster.data[p + 2];
    grey[i] = r > g ? (r > b ? r : b) : g > b ? g : b;
  }
  return grey;
}

/**
 * Cells from a Seg image (red = positive, blue = negative, green = boundary probabilities) with
 * DeepLIIF's rules: threshold, enclosed gaps filled, 8-connected cells, majority class, noise,
 * size and marker thresholds. Linear in the pixel count.
 */
export function extractCells(seg: Raster, options: PostprocessOptions, extras: ExtractCellsExtras = {}): ExtractCellsResult {
  validatePostprocessOptions(options);
  return extractCellsFromMask(segToMask(seg, options.segThresh), options, extras);
}

/** A Seg image's per-pixel votes (DeepLIIF's create_posneg_mask), 1 byte a pixel. */
export interface SegMask {
  readonly width: number;
  readonly height: number;
  readonly votes: Uint8Array;
}

/**
 * create_posneg_mask for a Seg image, or a horizontal band of one (pixels are independent, so a
 * large Seg can be turned into its mask band by band without holding its RGB whole).
 */
export function segToMask(seg: Raster, segThresh: number): SegMask {
  if (seg.channels < 3) throw new RestainError('INVALID_ARGUMENT', `Expected an RGB Seg image but received ${seg.channels} channel(s)`);
  const votes = createPosNegMask(seg.data, seg.channels, seg.width * seg.height, segThresh, BOUNDARY_GREEN_THRESH);
  return { width: seg.width, height: seg.height, votes };
}

/** extractCells after segToMask: `mask.votes` is consumed (rewritten in place). */
export function extractCellsFromMask(segMask: SegMask, options: PostprocessOptions, extras: ExtractCellsExtras = {}): ExtractCellsResult {
  validatePostprocessOptions(options);
  const { width, height, votes: mask } = segMask;
  const pixels = width * height;
  if (mask.length !== pixels) throw new RestainError('INVALID_ARGUMENT', `Expected a ${width}x${height} mask but received ${mask.length} votes`);
  const marker = extras.marker ? bandsOf('marker', extras.marker, width, height) : null;
  const dab = extras.dabOd ? bandsOf('dabOd', extras.dabOd, width, height) : null;

  const labels = new Int32Array(pixels);
  // The flood fill's stack borrows the label buffer (labelComponents then writes every pixel),
  // which saves 4 bytes a pixel: 400 MB on a 10000 x 10000 image.
  markBackground(mask, width, height, labels);
  const stats = labelComponents(mask, width, labels);

  // Per-component marker and DAB sums; the marker's histogram feeds DeepLIIF's 'auto' threshold.
  const measures: ComponentMeasures = {
    ...stats,
    sumMarker: marker ? new Float64Array(stats.count + 1) : null,
    maxMarker: marker ? new Float64Array(stats.count + 1) : null,
    sumDab: dab ? new Float64Array(stats.count + 1) : null,
  };
  const markerHistogram = marker && options.markerThresh === 'auto' ? new Float64Array(256) : null;
  if (marker) measureMap('marker', marker, labels, width, height, measures.sumMarker as Float64Array, measures.maxMarker, markerHistogram);
  if (dab) measureMap('dabOd', dab, labels, width, height, measures.sumDab as Float64Array, null, null);
  const { kept, sizeThresh, sizeThreshUpper, sizeThreshRelative, markerThresh } = selectComponents(measures, options, markerHistogram);
  const cellId = new Int32Array(stats.count + 1);
  kept.forEach((c, k) => (cellId[c] = k + 1));
  for (let i = 0; i < pixels; i++) labels[i] = cellId[labels[i]];
  const cells: Cell[] = kept.map((c, k) =>
    componentCell(measures, c, k + 1, markerThresh, simplifyContour(traceBoundary(labels, width, height, k + 1, stats.firstPixel[c]))));
  return { width, height, cells, labels, segThresh: options.segThresh, sizeThresh, sizeThreshUpper, sizeThreshRelative, markerThresh };
}

import { type ComponentMeasures, labelComponents, simplifyContour, traceBoundary } from '@restain/shared';
import type { ResultPlanes } from './planes';
import type { StageClock } from './stage-clock';
import { ThresholdMasks } from './threshold-masks';

/** Simplified clockwise contour of each component (index c - 1), as extractCells traces it. */
export type Contours = ReadonlyArray<ReadonlyArray<readonly [number, number]>>;

/**
 * Everything about a Seg image at one segmentation threshold that the size and marker thresholds
 * do not change: the 8-connected components (DeepLIIF's cells before filtering) with their sums
 * and outline pixels. Compact (no per-pixel label map), so many thresholds can be cached.
 * Contours are not traced here (scores and the overlay never need them): traceContours does it.
 */
export interface LabelledSegmentation extends ComponentMeasures {
  readonly segThresh: number;
  readonly width: number;
  readonly height: number;
  /** First pixel (raster order) of each component, where its contour trace starts. */
  readonly firstPixel: Float64Array;
  /** Outline pixels of component c: edgePixels[edgeStart[c] .. edgeStart[c + 1]), in raster order. */
  readonly edgeStart: Int32Array;
  readonly edgePixels: Int32Array;
}

/**
 * The label map, kept between calls: labelling runs on every segmentation move, and a fresh
 * 4-byte-a-pixel buffer each time (36 MB at 3000 x 3000) costs its zeroing and GC pressure.
 * Not part of the result (results are moved between workers), so reusing it is safe.
 */
let labelScratch = new Int32Array(0);

/** A typed array of at least `size` elements holding `array`'s contents (doubling). */
function grown<T extends Int32Array | Float64Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/**
 * Per-component marker / DAB sums and outline pixels, gathered run by run as labelComponents
 * numbers the components (so only cell pixels are read, and the label map is not scanned again).
 * Outline pixel: a cell pixel 4-touching a non-cell pixel inside the image (never another
 * component: 4-adjacent cell pixels are one component); non-cell pixels are the mask's background.
 */
class RunMeasures {
  sumMarker = new Float64Array(1024);
  maxMarker = new Float64Array(1024);
  sumDab = new Float64Array(1024);
  /** Outline pixels in raster order and the component of each. */
  edgePixel = new Int32Array(4096);
  edgeOwner = new Int32Array(4096);
  edges = 0;

  constructor(private readonly planes: ResultPlanes, private readonly mask: Uint8Array) {}

  readonly visit = (c: number, start: number, end: number): void => {
    const { width, height, marker, dab } = this.planes;
    const mask = this.mask;
    if (c >= this.sumMarker.length) {
      this.sumMarker = grown(this.sumMarker, c + 1);
      this.maxMarker = grown(this.maxMarker, c + 1);
      this.sumDab = grown(this.sumDab, c + 1);
    }
    if (marker) {
      let sum = 0, max = this.maxMarker[c];
      for (let i = start; i < end; i++) {
        const v = marker[i];
        sum += v;
        if (v > max) max = v;
      }
      this.sumMarker[c] += sum;
      this.maxMarker[c] = max;
    }
    if (dab) {
      let sum = 0;
      for (let i = start; i < end; i++) sum += dab[i];
      this.sumDab[c] += sum;
    }
    if (this.edges + (end - start) > this.edgePixel.length) {
      this.edgePixel = grown(this.edgePixel, this.edges + end - start);
      this.edgeOwner = grown(this.edgeOwner, this.edges + end - start);
    }
    const y = (start / width) | 0;
    const x0 = start - y * width;
    const up = y > 0 ? -width : 0, down = y < height - 1 ? width : 0;
    for (let i = start; i < end; i++) {
      // A missing row (image border) is its own row: a cell pixel, so never background.
      const outline = (i === start && x0 > 0) || (i === end - 1 && end - start + x0 < width)
        || mask[i + up] === 0 || mask[i + down] === 0;
      if (outline) {
        this.edgePixel[this.edges] = i;
        this.edgeOwner[this.edges++] = c;
      }
    }
  };
}

let maskScratch = new Uint8Array(0);
/** Each Seg's threshold-independent part of its masks, made on first use. */
const thresholdMasks = new WeakMap<ResultPlanes, ThresholdMasks>();

/** The label map scratch, sized for `planes`. */
function labelsFor(planes: ResultPlanes): Int32Array {
  if (labelScratch.length !== planes.width * planes.height) labelScratch = new Int32Array(planes.width * planes.height);
  return labelScratch;
}

/** Prepare `planes` for labelling (done by the first labelling otherwise): what every threshold shares. */
export function prepareSegmentation(planes: ResultPlanes): ThresholdMasks {
  let masks = thresholdMasks.get(planes);
  if (!masks) {
    masks = new ThresholdMasks(planes, labelsFor(planes));
    thresholdMasks.set(planes, masks);
  }
  return masks;
}

/**
 * The mask segToMask gives at `segThresh` after markBackground (a scratch buffer, valid until
 * the next call), and the label map scratch.
 */
function backgroundMarked(planes: ResultPlanes, segThresh: number, clock?: StageClock): { mask: Uint8Array; labels: Int32Array } {
  const { width, height } = planes;
  const masks = prepareSegmentation(planes);
  const labels = labelsFor(planes);
  if (maskScratch.length !== width * height) maskScratch = new Uint8Array(width * height);
  masks.maskAt(segThresh, maskScratch, labels, width, height);
  clock?.lap('mask');
  return { mask: maskScratch, labels };
}

/**
 * The threshold-independent half of extractCellsFromMask for one seg threshold, built from the
 * shared code's own steps (segToMask, markBackground, labelComponents): filtering by size never
 * merges or splits components, so filtering later gives exactly the same cells.
 */
export function labelSegmentation(planes: ResultPlanes, segThresh: number, clock?: StageClock): LabelledSegmentation {
  const { width, height, marker, dab } = planes;
  const { mask, labels } = backgroundMarked(planes, segThresh, clock);
  const runs = new RunMeasures(planes, mask);
  // No label map is kept (the runs give every sum), so it is not written.
  const stats = labelComponents(mask, width, labels, runs.visit, false);
  clock?.lap('label');
  const n = stats.count + 1;
  // Outline pixels grouped by component (a stable counting sort keeps each one's raster order).
  const edgeStart = new Int32Array(n + 1);
  for (let k = 0; k < runs.edges; k++) edgeStart[runs.edgeOwner[k] + 1]++;
  for (let c = 1; c <= n; c++) edgeStart[c] += edgeStart[c - 1];
  const edgePixels = new Int32Array(runs.edges);
  const fill = edgeStart.slice(0, n);
  for (let k = 0; k < runs.edges; k++) edgePixels[fill[runs.edgeOwner[k]]++] = runs.edgePixel[k];
  clock?.lap('outline');
  return {
    segThresh, width, height, count: stats.count,
    area: stats.area, positiveVotes: stats.positiveVotes, negativeVotes: stats.negativeVotes,
    sumX: stats.sumX, sumY: stats.sumY, minX: stats.minX, minY: stats.minY, maxX: stats.maxX, maxY: stats.maxY,
    sumMarker: marker ? runs.sumMarker.slice(0, n) : null,
    maxMarker: marker ? runs.maxMarker.slice(0, n) : null,
    sumDab: dab ? runs.sumDab.slice(0, n) : null,
    firstPixel: stats.firstPixel, edgeStart, edgePixels,
  };
}

/**
 * The contours extractCells traces for `labelled`'s components (relabelling its threshold first:
 * the label map is not kept). Tracing reads only membership of one component, and components are
 * never 8-adjacent, so tracing on the component map gives the server's contours of the kept cells.
 */
export function traceContours(planes: ResultPlanes, labelled: LabelledSegmentation): Contours {
  const { width, height } = planes;
  const { mask, labels } = backgroundMarked(planes, labelled.segThresh);
  const stats = labelComponents(mask, width, labels);
  if (stats.count !== labelled.count) throw new Error(`Relabelling found ${stats.count} components, expected ${labelled.count}`);
  const contours: [number, number][][] = [];
  for (let c = 1; c <= stats.count; c++) contours.push(simplifyContour(traceBoundary(labels, width, height, c, labelled.firstPixel[c])));
  return contours;
}

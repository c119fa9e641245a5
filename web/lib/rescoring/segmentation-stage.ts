import { type ComponentMeasures, labelComponents, markBackground, segToMask, simplifyContour, traceBoundary } from '@restain/shared';
import type { ResultPlanes } from './planes';

/**
 * Everything about a Seg image at one segmentation threshold that the size and marker thresholds
 * do not change: the 8-connected components (DeepLIIF's cells before filtering) with their sums,
 * contours and outline pixels. Compact (no per-pixel label map), so many thresholds can be cached.
 */
export interface LabelledSegmentation extends ComponentMeasures {
  readonly segThresh: number;
  readonly width: number;
  readonly height: number;
  /** Simplified clockwise contour of each component (index c - 1), as extractCells traces it. */
  readonly boundaries: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  /** Outline pixels of component c: edgePixels[edgeStart[c] .. edgeStart[c + 1]), in raster order. */
  readonly edgeStart: Int32Array;
  readonly edgePixels: Int32Array;
}

/**
 * The threshold-independent half of extractCellsFromMask for one seg threshold, built from the
 * shared code's own steps (segToMask, markBackground, labelComponents, traceBoundary): filtering
 * by size never merges or splits components, so filtering later gives exactly the same cells.
 */
export function labelSegmentation(planes: ResultPlanes, segThresh: number): LabelledSegmentation {
  const { width, height, marker, dab } = planes;
  const pixels = width * height;
  const mask = segToMask({ width, height, channels: planes.segChannels, data: planes.seg }, segThresh).votes;
  const labels = new Int32Array(pixels);
  markBackground(mask, width, height, labels);
  const stats = labelComponents(mask, width, labels);
  const n = stats.count + 1;
  const sumMarker = marker ? new Float64Array(n) : null;
  const maxMarker = marker ? new Float64Array(n) : null;
  const sumDab = dab ? new Float64Array(n) : null;
  // Outline pixels per component: cell pixels 4-touching a non-cell pixel (never another
  // component: 4-adjacent pixels would be one component), counted first, then placed.
  const edgeCount = new Int32Array(n + 1);
  const isEdge = (i: number, x: number, y: number): boolean =>
    (y > 0 && labels[i - width] === 0) || (x > 0 && labels[i - 1] === 0)
    || (x < width - 1 && labels[i + 1] === 0) || (y < height - 1 && labels[i + width] === 0);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const c = labels[i];
      if (c === 0) continue;
      if (sumMarker && maxMarker && marker) {
        const v = marker[i];
        sumMarker[c] += v;
        if (v > maxMarker[c]) maxMarker[c] = v;
      }
      if (sumDab && dab) sumDab[c] += dab[i];
      if (isEdge(i, x, y)) edgeCount[c + 1]++;
    }
  }
  const edgeStart = new Int32Array(n + 1);
  for (let c = 1; c <= n; c++) edgeStart[c] = edgeStart[c - 1] + edgeCount[c];
  const edgePixels = new Int32Array(edgeStart[n]);
  const fill = edgeStart.slice(0, n);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const c = labels[i];
      if (c !== 0 && isEdge(i, x, y)) edgePixels[fill[c]++] = i;
    }
  }
  const boundaries: [number, number][][] = [];
  for (let c = 1; c <= stats.count; c++) boundaries.push(simplifyContour(traceBoundary(labels, width, height, c, stats.firstPixel[c])));
  return {
    segThresh, width, height, count: stats.count,
    area: stats.area, positiveVotes: stats.positiveVotes, negativeVotes: stats.negativeVotes,
    sumX: stats.sumX, sumY: stats.sumY, minX: stats.minX, minY: stats.minY, maxX: stats.maxX, maxY: stats.maxY,
    sumMarker, maxMarker, sumDab, boundaries, edgeStart, edgePixels,
  };
}

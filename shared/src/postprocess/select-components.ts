import type { ComponentStats } from './label-mask';
import { markerThresholdFromHistogram } from './marker-threshold';
import { type Cell, DAB_OD_LEVELS_PER_UNIT, DEFAULT_NOISE_THRESH, type PostprocessOptions } from './postprocess-options';
import { defaultSizeThreshold } from './size-threshold';

/**
 * What DeepLIIF's size and marker rules need to know about the 8-connected components of one
 * Seg mask: their pixel statistics plus per-component sums of the Marker and DAB maps. The server
 * (extractCellsFromMask) and the browser's live re-scoring (which labels once per segmentation
 * threshold and then only re-selects) both decide cells through selectComponents + componentCell.
 */
export interface ComponentMeasures extends Omit<ComponentStats, 'firstPixel'> {
  readonly sumMarker: Float64Array | null;
  readonly maxMarker: Float64Array | null;
  readonly sumDab: Float64Array | null;
}

export interface ComponentSelection {
  /** Component numbers of the kept cells, in raster order (cell id k + 1 is kept[k]). */
  readonly kept: number[];
  readonly sizeThresh: number;
  readonly sizeThreshUpper: number | null;
  readonly sizeThreshRelative: number;
  readonly markerThresh: number | null;
}

/** DeepLIIF's 'auto' size threshold over the components larger than the noise size. */
export function autoSizeThreshold(measures: Pick<ComponentMeasures, 'count' | 'area'>, options: PostprocessOptions): number {
  const noise = options.noiseThresh ?? DEFAULT_NOISE_THRESH;
  const sizes: number[] = [];
  for (let c = 1; c <= measures.count; c++) if (measures.area[c] > noise) sizes.push(measures.area[c]);
  return defaultSizeThreshold(sizes, options.resolution ?? '40x');
}

/**
 * The size gates (DeepLIIF's, then Restain's median-area gate over what they keep) and the marker
 * threshold applied to labelled components. `markerHistogram` is
 * the whole Marker map's 256-bin histogram (needed for markerThresh 'auto'); `autoSize` lets a
 * caller that re-selects often pass the 'auto' size threshold it computed once.
 */
export function selectComponents(measures: ComponentMeasures, options: PostprocessOptions, markerHistogram: Float64Array | null, autoSize?: number): ComponentSelection {
  const noise = options.noiseThresh ?? DEFAULT_NOISE_THRESH;
  const sizeThresh = options.sizeThresh === 'auto' ? (autoSize ?? autoSizeThreshold(measures, options)) : options.sizeThresh;
  const upper = options.sizeThreshUpper;
  const markerThresh = measures.maxMarker === null || options.markerThresh === 'none' ? null
    : options.markerThresh === 'auto' ? markerThresholdFromHistogram(Float64Array.from(markerHistogram ?? new Float64Array(256))) : options.markerThresh;
  const relative = options.sizeThreshRelative ?? 0;
  const kept: number[] = [];
  for (let c = 1; c <= measures.count; c++) {
    const area = measures.area[c];
    if (area > noise && area > sizeThresh && (upper === null || area < upper)) kept.push(c);
  }
  const minimum = relative > 0 ? relative * medianArea(kept, measures.area) : 0;
  const gated = minimum > 0 ? kept.filter((c) => measures.area[c] >= minimum) : kept;
  return { kept: gated, sizeThresh, sizeThreshUpper: upper, sizeThreshRelative: relative, markerThresh };
}

/** Median area of the components `kept` (mean of the middle two for an even count; 0 for none). */
function medianArea(kept: readonly number[], area: ArrayLike<number>): number {
  if (kept.length === 0) return 0;
  const areas = Float64Array.from(kept, (c) => area[c]).sort();
  const mid = areas.length >> 1;
  return areas.length % 2 === 1 ? areas[mid] : (areas[mid - 1] + areas[mid]) / 2;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** The cell that kept component `c` becomes (id from 1): centroid, box, class by votes or marker, mean DAB OD. */
export function componentCell(measures: ComponentMeasures, c: number, id: number, markerThresh: number | null,
  boundary: ReadonlyArray<readonly [number, number]>): Cell {
  const area = measures.area[c];
  const { sumMarker, maxMarker, sumDab } = measures;
  const byVotes = measures.positiveVotes[c] >= measures.negativeVotes[c];
  const byMarker = markerThresh !== null && maxMarker !== null && maxMarker[c] > markerThresh;
  return {
    id,
    x: round2(measures.sumX[c] / area),
    y: round2(measures.sumY[c] / area),
    bbox: [measures.minX[c], measures.minY[c], measures.maxX[c] + 1, measures.maxY[c] + 1] as const,
    area,
    positive: byVotes || byMarker,
    meanDabOd: sumDab ? Math.round((sumDab[c] / area / DAB_OD_LEVELS_PER_UNIT) * 1e4) / 1e4 : null,
    meanMarker: sumMarker ? round2(sumMarker[c] / area) : null,
    maxMarker: maxMarker ? maxMarker[c] : null,
    boundary: boundary as Cell['boundary'],
  };
}

import { type Cell, type PostprocessOptions, autoSizeThreshold, componentCell, selectComponents, validatePostprocessOptions } from '@restain/shared';
import type { Contours, LabelledSegmentation } from './segmentation-stage';

/** extractCellsFromMask's result without the label map (the live view draws from outline pixels). */
export interface SelectedCells {
  readonly cells: Cell[];
  /** Component of each cell (index id - 1), to find its outline pixels. */
  readonly components: Int32Array;
  readonly segThresh: number;
  readonly sizeThresh: number;
  readonly sizeThreshUpper: number | null;
  readonly sizeThreshRelative: number;
  readonly markerThresh: number | null;
}

/** Memo of the values a labelled segmentation gives for every size/marker move. */
export interface SelectionMemo {
  autoSize?: { resolution: string; noise: number | undefined; value: number };
}

/** A cell's boundary before its contour is traced (replaced by a getter that traces on first read). */
const UNTRACED: Cell['boundary'] = [];

/**
 * The threshold-dependent half of extractCellsFromMask, through the same shared rules
 * (selectComponents + componentCell), so scoreCells over these cells equals the server's scoring.
 * No per-pixel work: linear in the number of components plus one sort of the kept areas (the
 * median-area gate); the 'auto' size threshold is memoised.
 * `markerHistogram`: the whole Marker map's 256-bin histogram ('auto' marker threshold).
 * `contours`: the components' contours, called the first time any cell's `boundary` is read
 * (scoring and drawing never read it, so a live move does not trace).
 */
export function selectCells(labelled: LabelledSegmentation, options: PostprocessOptions, markerHistogram: Float64Array | null,
  contours: () => Contours, memo: SelectionMemo = {}): SelectedCells {
  validatePostprocessOptions(options);
  if (options.segThresh !== labelled.segThresh) throw new Error(`Segmentation labelled at ${labelled.segThresh}, asked for ${options.segThresh}`);
  let autoSize: number | undefined;
  if (options.sizeThresh === 'auto') {
    const resolution = options.resolution ?? '40x';
    const cached = memo.autoSize;
    autoSize = cached && cached.resolution === resolution && cached.noise === options.noiseThresh ? cached.value : autoSizeThreshold(labelled, options);
    memo.autoSize = { resolution, noise: options.noiseThresh, value: autoSize };
  }
  const selection = selectComponents(labelled, options, markerHistogram, autoSize);
  const cells = selection.kept.map((c, k) => {
    const cell = componentCell(labelled, c, k + 1, selection.markerThresh, UNTRACED);
    return Object.defineProperty(cell, 'boundary', { enumerable: true, configurable: true, get: () => contours()[c - 1] });
  });
  return {
    cells,
    components: Int32Array.from(selection.kept),
    segThresh: options.segThresh,
    sizeThresh: selection.sizeThresh,
    sizeThreshUpper: selection.sizeThreshUpper,
    sizeThreshRelative: selection.sizeThreshRelative,
    markerThresh: selection.markerThresh,
  };
}

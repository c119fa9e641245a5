/**
 * Cells from a DeepLIIF-colour segmentation image exactly as /work/shared/tools/evaluate-seg.py
 * builds them (extract_cells), so that our metrics equal the reference tool's.
 */
import type { Raster } from '../image/raster';
import { PIXEL_BACKGROUND, PIXEL_UNKNOWN, createPosNegMask, labelComponents, markBackground } from '../postprocess/label-mask';
import { defaultSizeThreshold } from '../postprocess/size-threshold';
import type { Magnification } from '../scale/resolution';

/** Hole handling: 'object' fills holes enclosed by one cell, 'deepliif' every enclosed gap, 'none' nothing. */
export type HoleFill = 'object' | 'deepliif' | 'none';

export interface ColourCellOptions {
  readonly segThresh?: number;
  readonly greenThresh?: number;
  readonly fill?: HoleFill;
  readonly noiseThresh?: number;
  /** Cells must have area > this; 'default' = DeepLIIF's KDE rule. */
  readonly sizeThresh?: number | 'default';
  readonly maxSize?: number | null;
  readonly resolution?: Magnification;
}

/** Labelled cells: ids 1..count in `labels` (0 = none); cell k has class positive[k - 1]. */
export interface LabelledCells {
  readonly width: number;
  readonly height: number;
  readonly labels: Int32Array;
  readonly count: number;
  readonly positive: Uint8Array;
  /** Size threshold that was applied (px). */
  readonly sizeThresh: number;
}

/** Hole pixels (still UNKNOWN after markBackground) joined to the single cell that encloses them. */
function fillObjectHoles(mask: Uint8Array, width: number, labels: Int32Array, area: Float64Array, stack: Int32Array): void {
  const n = mask.length;
  const seen = new Uint8Array(n);
  const members: number[] = [];
  for (let start = 0; start < n; start++) {
    if (mask[start] !== PIXEL_UNKNOWN || seen[start]) continue;
    // One 4-connected hole (ndi.label's default structure); hole pixels never lie on the border.
    members.length = 0;
    let top = 0, mx = 0, mn = Infinity;
    seen[start] = 1;
    stack[top++] = start;
    while (top > 0) {
      const i = stack[--top];
      members.push(i);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const l = labels[i + dy * width + dx];
          if (l > mx) mx = l;
          if (l > 0 && l < mn) mn = l;
        }
      }
      for (let k = 0; k < 4; k++) {
        const j = k === 0 ? i - 1 : k === 1 ? i + 1 : k === 2 ? i - width : i + width;
        if (mask[j] === PIXEL_UNKNOWN && !seen[j]) {
          seen[j] = 1;
          stack[top++] = j;
        }
      }
    }
    if (mx > 0 && mx === mn) {
      for (const i of members) labels[i] = mx;
      area[mx] += members.length;
    }
  }
}

/** evaluate-seg.py extract_cells: threshold, fill, 8-connected cells, majority class, size gates. */
export function cellsFromColours(rgb: Raster, options: ColourCellOptions = {}): LabelledCells {
  const { width, height } = rgb;
  const n = width * height;
  const fill = options.fill ?? 'object';
  const mask = createPosNegMask(rgb.data, rgb.channels, n, options.segThresh ?? 120, options.greenThresh ?? 80);
  const stack = new Int32Array(n);
  const labels = new Int32Array(n);
  let stats;
  if (fill === 'deepliif') {
    markBackground(mask, width, height, stack);
    stats = labelComponents(mask, width, labels);
  } else {
    // Cells are the foreground alone; non-cell pixels are background for labelling.
    const fg = new Uint8Array(n);
    for (let i = 0; i < n; i++) fg[i] = mask[i] === PIXEL_UNKNOWN ? PIXEL_BACKGROUND : mask[i];
    stats = labelComponents(fg, width, labels);
    if (fill === 'object' && stats.count > 0) {
      markBackground(mask, width, height, stack);
      fillObjectHoles(mask, width, labels, stats.area, stack);
    }
  }
  const noise = options.noiseThresh ?? 4;
  const sizes: number[] = [];
  for (let c = 1; c <= stats.count; c++) if (stats.area[c] > noise) sizes.push(stats.area[c]);
  const size = options.sizeThresh ?? 0;
  const sizeThresh = stats.count === 0 ? 0 : size === 'default' ? defaultSizeThreshold(sizes, options.resolution ?? '40x') : Math.trunc(size);
  const maxSize = options.maxSize ?? null;
  const newId = new Int32Array(stats.count + 1);
  const positive: number[] = [];
  for (let c = 1; c <= stats.count; c++) {
    const a = stats.area[c];
    if (a > noise && a > sizeThresh && (maxSize === null || a < maxSize)) {
      positive.push(stats.positiveVotes[c] >= stats.negativeVotes[c] ? 1 : 0);
      newId[c] = positive.length;
    }
  }
  for (let i = 0; i < n; i++) labels[i] = newId[labels[i]];
  return { width, height, labels, count: positive.length, positive: Uint8Array.from(positive), sizeThresh };
}

/**
 * evaluate-seg.py restrict_to_annotated: keep predicted cells with at least `fraction` of their
 * area on annotated truth (non-black GT pixels, dilated 2 px with a 3x3 square twice).
 */
export function restrictToAnnotated(pred: LabelledCells, annotated: Uint8Array, fraction: number): LabelledCells {
  const { width, height, labels } = pred;
  const dilated = dilateSquare(dilateSquare(annotated, width, height), width, height);
  const area = new Float64Array(pred.count + 1);
  const inside = new Float64Array(pred.count + 1);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === 0) continue;
    area[l]++;
    if (dilated[i]) inside[l]++;
  }
  const newId = new Int32Array(pred.count + 1);
  const positive: number[] = [];
  for (let c = 1; c <= pred.count; c++) {
    if (inside[c] >= fraction * area[c]) {
      positive.push(pred.positive[c - 1]);
      newId[c] = positive.length;
    }
  }
  const out = Int32Array.from(labels, (l) => newId[l]);
  return { ...pred, labels: out, count: positive.length, positive: Uint8Array.from(positive) };
}

/** Binary dilation with a 3x3 square (outside the image counts as unset). */
function dilateSquare(src: Uint8Array, width: number, height: number): Uint8Array {
  const rows = new Uint8Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      rows[i] = src[i] | (x > 0 ? src[i - 1] : 0) | (x < width - 1 ? src[i + 1] : 0);
    }
  }
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = rows[i] | (i >= width ? rows[i - width] : 0) | (i + width < src.length ? rows[i + width] : 0);
  return out;
}

/** Non-black pixels of an RGB truth image (annotated area for restrictToAnnotated). */
export function nonBlackPixels(rgb: Raster): Uint8Array {
  const n = rgb.width * rgb.height;
  const out = new Uint8Array(n);
  for (let i = 0, p = 0; i < n; i++, p += rgb.channels) out[i] = rgb.data[p] | rgb.data[p + 1] | rgb.data[p + 2] ? 1 : 0;
  return out;
}

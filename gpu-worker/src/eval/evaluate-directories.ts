import {
  type LabelledCells,
  type MaskMetrics,
  type MetricRecord,
  type PointMetrics,
  type PooledMaskMetrics,
  type PooledPointMetrics,
  type Raster,
  RestainError,
  cellCentroids,
  cellsFromColours,
  compareMasks,
  meanMetrics,
  nonBlackPixels,
  poolMaskMetrics,
  poolPointMetrics,
  rasterizeOutlines,
  restrictToAnnotated,
  scorePoints,
} from '@restain/shared';
import { type GtFile, type GtKind, findPrediction, listGroundTruth, readOutlines, readPoints, readRgb, requireDirectory } from './read-eval-inputs';

export interface EvalOptions {
  /** Point matching radius in px (evaluate-points.py --radius), default 10. */
  radiusPx?: number;
  /** Drop predicted cells with less than this fraction of their area on annotated truth (masks, outlines). */
  ignoreUnannotated?: number;
  /** Predicted cells must be larger (px); 'default' = DeepLIIF's KDE rule, evaluate-seg.py's default. Points: 0. */
  sizeThresh?: number | 'default';
}

export type SegImageMetrics = MaskMetrics & { pred_size_thresh: number };

export type ImageEval =
  | { name: string; kind: 'mask' | 'outlines'; predPath: string; gtPath: string; metrics: SegImageMetrics }
  | { name: string; kind: 'points'; predPath: string; gtPath: string; metrics: PointMetrics };

export interface EvalSummary {
  kind: GtKind;
  images: number;
  /** Mean over images of each metric (nulls skipped). */
  mean: MetricRecord;
  /** Metrics over all cells of all images at once. */
  pooled: PooledMaskMetrics | PooledPointMetrics;
}

export interface EvalReport {
  predDir: string;
  gtDir: string;
  settings: { radiusPx: number; ignoreUnannotated: number | null; sizeThresh: number | 'default' };
  images: ImageEval[];
  /** Truth images with no prediction found. */
  missing: string[];
  summaries: EvalSummary[];
}

function checkSameSize(name: string, pred: Raster, width: number, height: number): void {
  if (pred.width !== width || pred.height !== height) {
    throw new RestainError('INVALID_ARGUMENT', `Expected the prediction for ${name} to be ${width}x${height} like its truth but received ${pred.width}x${pred.height}`);
  }
}

async function evaluateOne(gt: GtFile, predPath: string, settings: EvalReport['settings']): Promise<ImageEval> {
  const pred = await readRgb(predPath);
  if (gt.kind === 'points') {
    const cells = cellsFromColours(pred, { sizeThresh: settings.sizeThresh === 'default' ? 0 : settings.sizeThresh });
    const metrics = scorePoints(cellCentroids(cells.labels, cells.width, cells.count), cells.positive, await readPoints(gt.path), settings.radiusPx);
    return { name: gt.name, kind: 'points', predPath, gtPath: gt.path, metrics };
  }
  let truth: LabelledCells;
  let annotated: Uint8Array;
  if (gt.kind === 'mask') {
    const rgb = await readRgb(gt.path);
    checkSameSize(gt.name, pred, rgb.width, rgb.height);
    truth = cellsFromColours(rgb, { sizeThresh: 0 });
    annotated = nonBlackPixels(rgb);
  } else {
    truth = rasterizeOutlines(pred.width, pred.height, await readOutlines(gt.path));
    annotated = Uint8Array.from(truth.labels, (l) => (l ? 1 : 0));
  }
  let cells = cellsFromColours(pred, { sizeThresh: settings.sizeThresh });
  if (settings.ignoreUnannotated !== null) cells = restrictToAnnotated(cells, annotated, settings.ignoreUnannotated);
  const metrics = { ...compareMasks(truth, cells), pred_size_thresh: cells.sizeThresh };
  return { name: gt.name, kind: gt.kind, predPath, gtPath: gt.path, metrics };
}

function summarize(images: ImageEval[]): EvalSummary[] {
  const kinds: GtKind[] = ['mask', 'outlines', 'points'];
  return kinds.flatMap((kind) => {
    const of = images.filter((i) => i.kind === kind);
    if (of.length === 0) return [];
    const metrics = of.map((i) => i.metrics);
    const pooled = kind === 'points' ? poolPointMetrics(metrics as PointMetrics[]) : poolMaskMetrics(metrics as MaskMetrics[]);
    return [{ kind, images: of.length, mean: meanMetrics(metrics), pooled }];
  });
}

/**
 * Score predicted SegRefined images against the truth in gtDir (masks <name>.png, points
 * <name>.points.json, outlines <name>.cells.json) with the rules of evaluate-seg.py and
 * evaluate-points.py; per image, mean and pooled per kind of truth.
 */
export async function evaluateDirectories(predDir: string, gtDir: string, options: EvalOptions = {}): Promise<EvalReport> {
  await requireDirectory(gtDir, 'ground-truth');
  await requireDirectory(predDir, 'prediction');
  const radiusPx = options.radiusPx ?? 10;
  if (!(radiusPx > 0)) throw new RestainError('INVALID_ARGUMENT', `Expected a radius > 0 px but received ${radiusPx}`);
  const ignore = options.ignoreUnannotated ?? null;
  if (ignore !== null && !(ignore >= 0 && ignore <= 1)) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a fraction from 0 to 1 for ignoreUnannotated but received ${ignore}`);
  }
  const sizeThresh = options.sizeThresh ?? 'default';
  if (sizeThresh !== 'default' && !(sizeThresh >= 0)) {
    throw new RestainError('INVALID_ARGUMENT', `Expected 'default' or a size >= 0 px for sizeThresh but received ${sizeThresh}`);
  }
  const settings = { radiusPx, ignoreUnannotated: ignore, sizeThresh };
  const truths = await listGroundTruth(gtDir);
  const images: ImageEval[] = [];
  const missing: string[] = [];
  for (const gt of truths) {
    const predPath = await findPrediction(predDir, gt.name, truths.length === 1);
    if (predPath === null) missing.push(gt.name);
    else images.push(await evaluateOne(gt, predPath, settings));
  }
  return { predDir, gtDir, settings, images, missing, summaries: summarize(images) };
}

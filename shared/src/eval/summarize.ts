import type { Confusion, MaskMetrics } from './mask-metrics';
import { f1Score, meanOf, ratio } from './metric-helpers';
import type { PointMetrics } from './point-metrics';

export type MetricRecord = Record<string, number | null>;

/** Mean over images of every numeric metric (nulls skipped, as evaluate-seg.py summarize). */
export function meanMetrics(perImage: ReadonlyArray<object>): MetricRecord {
  const mean: MetricRecord = {};
  if (perImage.length === 0) return mean;
  for (const [key, first] of Object.entries(perImage[0])) {
    if (typeof first !== 'number' && first !== null) continue;
    mean[key] = meanOf(perImage.map((r) => (r as Record<string, unknown>)[key] as number | null));
  }
  return mean;
}

export interface PooledMaskMetrics {
  n_gt: number; n_pred: number; pos_gt: number; pos_pred: number; tp: number;
  precision: number | null; recall: number | null; f1: number | null; class_acc: number | null;
  confusion_gt_pred: Confusion; ki67_gt: number | null; ki67_pred: number | null; ki67_abs_err: number | null;
}

/** Pooled (micro) metrics over all cells of all images (evaluate-seg.py summarize). */
export function poolMaskMetrics(perImage: readonly MaskMetrics[]): PooledMaskMetrics {
  const sum = (k: 'n_gt' | 'n_pred' | 'tp' | 'pos_gt' | 'pos_pred'): number => perImage.reduce((s, r) => s + r[k], 0);
  const ng = sum('n_gt'), npd = sum('n_pred'), tp = sum('tp'), pg = sum('pos_gt'), pp = sum('pos_pred');
  const conf: Confusion = { pp: 0, pn: 0, np: 0, nn: 0 };
  for (const r of perImage) for (const c of ['pp', 'pn', 'np', 'nn'] as const) conf[c] += r.confusion_gt_pred[c];
  const precision = ratio(tp, npd), recall = ratio(tp, ng);
  const kg = ratio(100 * pg, ng), kp = ratio(100 * pp, npd);
  return {
    n_gt: ng, n_pred: npd, pos_gt: pg, pos_pred: pp, tp, precision, recall, f1: f1Score(precision, recall),
    class_acc: ratio(conf.pp + conf.nn, tp), confusion_gt_pred: conf,
    ki67_gt: kg, ki67_pred: kp, ki67_abs_err: kg !== null && kp !== null ? Math.abs(kp - kg) : null,
  };
}

export interface PooledPointMetrics {
  n_gt: number; n_pred: number; tp: number; fp: number; fn: number; pos_gt: number; pos_pred: number;
  precision: number; recall: number; f1: number;
}

/** Pooled point metrics (evaluate-points.py). */
export function poolPointMetrics(perImage: readonly PointMetrics[]): PooledPointMetrics {
  const sum = (k: keyof PointMetrics): number => perImage.reduce((s, r) => s + r[k], 0);
  const tot = { n_gt: sum('n_gt'), n_pred: sum('n_pred'), tp: sum('tp'), fp: sum('fp'), fn: sum('fn'), pos_gt: sum('pos_gt'), pos_pred: sum('pos_pred') };
  const precision = tot.n_pred ? tot.tp / tot.n_pred : 0, recall = tot.n_gt ? tot.tp / tot.n_gt : 0;
  return { ...tot, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

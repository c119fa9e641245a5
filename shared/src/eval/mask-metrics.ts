import { bipartiteGroups, solveAssignment } from './assignment';
import { f1Score, ratio } from './metric-helpers';

/** Cells given as labels 1..count per pixel and a class per cell (positive[k - 1] for cell k). */
export interface CellLabels {
  readonly labels: Int32Array;
  readonly count: number;
  readonly positive: ArrayLike<number | boolean>;
}

/** Matched pairs by truth -> prediction class: pp, pn (truth positive, predicted negative), np, nn. */
export interface Confusion {
  pp: number;
  pn: number;
  np: number;
  nn: number;
}

/** The per-image metrics of evaluate-seg.py compare(), same keys, null for Python's None. */
export interface MaskMetrics {
  n_gt: number; n_pred: number; pos_gt: number; pos_pred: number; neg_gt: number; neg_pred: number;
  ki67_gt: number | null; ki67_pred: number | null; ki67_abs_err: number | null; count_rel_err: number | null;
  tp: number; fp: number; fn: number;
  precision: number | null; recall: number | null; f1: number | null; sq: number | null; pq: number | null;
  class_acc: number | null; confusion_gt_pred: Confusion;
  pos_precision: number | null; pos_recall: number | null; pos_f1: number | null;
  neg_precision: number | null; neg_recall: number | null; neg_f1: number | null;
  dice_fg: number; dice_pos: number; dice_neg: number; dice_cls_mean: number; aji: number | null;
}

interface Overlap { g: number; p: number; inter: number; iou: number; union: number }

/** Intersections of every overlapping (truth, prediction) pair, sorted by truth then prediction. */
function overlaps(gt: CellLabels, pred: CellLabels): { pairs: Overlap[]; ag: Float64Array; ap: Float64Array } {
  const ag = new Float64Array(gt.count + 1), ap = new Float64Array(pred.count + 1);
  const inter = new Map<number, number>();
  const stride = pred.count + 1;
  const gl = gt.labels, pl = pred.labels;
  for (let i = 0; i < gl.length; i++) {
    const g = gl[i], p = pl[i];
    ag[g]++;
    ap[p]++;
    if (g && p) {
      const key = g * stride + p;
      inter.set(key, (inter.get(key) ?? 0) + 1);
    }
  }
  const pairs: Overlap[] = [];
  for (const [key, n] of inter) {
    const g = Math.floor(key / stride), p = key - g * stride;
    const union = ag[g] + ap[p] - n;
    pairs.push({ g: g - 1, p: p - 1, inter: n, union, iou: union > 0 ? n / Math.max(union, 1) : 0 });
  }
  pairs.sort((a, b) => a.g - b.g || a.p - b.p);
  return { pairs, ag: ag.subarray(1), ap: ap.subarray(1) };
}

/** One-to-one matching maximising total IoU among pairs with IoU >= threshold (Hungarian). */
function matchByIou(pairs: Overlap[], ng: number, npd: number, threshold: number): Overlap[] {
  const cand = pairs.filter((o) => o.iou >= threshold && o.iou > 0);
  const byKey = new Map(cand.map((o) => [o.g * (npd + 1) + o.p, o]));
  const matches: Overlap[] = [];
  for (const group of bipartiteGroups(cand.map((o) => [o.g, o.p] as const), ng, npd)) {
    const r = group.rows.length, c = group.cols.length;
    const cost = new Float64Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) cost[i * c + j] = -(byKey.get(group.rows[i] * (npd + 1) + group.cols[j])?.iou ?? 0);
    for (const [i, j] of solveAssignment(cost, r, c)) {
      const o = byKey.get(group.rows[i] * (npd + 1) + group.cols[j]);
      if (o) matches.push(o);
    }
  }
  return matches.sort((a, b) => a.g - b.g);
}

function dice(a: number, b: number, both: number): number {
  return a + b ? (2 * both) / (a + b) : 1;
}

/** Cell-level and pixel-level agreement of predicted cells with truth cells (evaluate-seg.py compare). */
export function compareMasks(gt: CellLabels, pred: CellLabels, iouThreshold = 0.5): MaskMetrics {
  const ng = gt.count, npd = pred.count;
  const { pairs, ag, ap } = overlaps(gt, pred);
  const matches = ng && npd ? matchByIou(pairs, ng, npd, iouThreshold) : [];
  const tp = matches.length;
  let precision = ratio(tp, npd), recall = ratio(tp, ng), f1 = f1Score(precision, recall);
  if (ng === 0 && npd === 0) precision = recall = f1 = 1;
  const sq = tp ? matches.reduce((s, m) => s + m.iou, 0) / tp : null;
  const pq = sq !== null && f1 !== null ? sq * f1 : f1 !== null ? 0 : null;

  const gPos = (k: number): boolean => Boolean(gt.positive[k]);
  const pPos = (k: number): boolean => Boolean(pred.positive[k]);
  const conf: Confusion = { pp: 0, pn: 0, np: 0, nn: 0 };
  for (const m of matches) conf[`${gPos(m.g) ? 'p' : 'n'}${pPos(m.p) ? 'p' : 'n'}` as keyof Confusion]++;
  let posGt = 0, posPr = 0;
  for (let k = 0; k < ng; k++) if (gPos(k)) posGt++;
  for (let k = 0; k < npd; k++) if (pPos(k)) posPr++;
  const posP = ratio(conf.pp, posPr), posR = ratio(conf.pp, posGt);
  const negP = ratio(conf.nn, npd - posPr), negR = ratio(conf.nn, ng - posGt);

  // AJI (Kumar et al. 2017): each truth cell with its highest-IoU prediction (first on ties).
  let aji: number | null = null;
  if (ng) {
    const used = new Uint8Array(npd);
    let ci = 0, cu = 0, k = 0;
    for (let g = 0; g < ng; g++) {
      let best: Overlap | null = null;
      for (; k < pairs.length && pairs[k].g === g; k++) if (!best || pairs[k].iou > best.iou) best = pairs[k];
      if (best) {
        ci += best.inter;
        cu += best.union;
        used[best.p] = 1;
      } else cu += ag[g];
    }
    for (let p = 0; p < npd; p++) if (!used[p]) cu += ap[p];
    aji = cu ? ci / cu : null;
  }

  // Pixel Dice of the cell union and of each class.
  let gf = 0, pf = 0, bf = 0, gp = 0, pp = 0, bp = 0, gn = 0, pn = 0, bn = 0;
  const gl = gt.labels, pl = pred.labels;
  for (let i = 0; i < gl.length; i++) {
    const g = gl[i], p = pl[i];
    const gIs = g ? (gPos(g - 1) ? 1 : 2) : 0, pIs = p ? (pPos(p - 1) ? 1 : 2) : 0;
    if (gIs) gf++;
    if (pIs) pf++;
    if (gIs && pIs) bf++;
    if (gIs === 1) gp++;
    if (pIs === 1) pp++;
    if (gIs === 1 && pIs === 1) bp++;
    if (gIs === 2) gn++;
    if (pIs === 2) pn++;
    if (gIs === 2 && pIs === 2) bn++;
  }
  const dPos = dice(gp, pp, bp), dNeg = dice(gn, pn, bn);
  const kiGt = ratio(100 * posGt, ng), kiPr = ratio(100 * posPr, npd);
  return {
    n_gt: ng, n_pred: npd, pos_gt: posGt, pos_pred: posPr, neg_gt: ng - posGt, neg_pred: npd - posPr,
    ki67_gt: kiGt, ki67_pred: kiPr, ki67_abs_err: kiGt !== null && kiPr !== null ? Math.abs(kiPr - kiGt) : null,
    count_rel_err: ratio(npd - ng, ng),
    tp, fp: npd - tp, fn: ng - tp, precision, recall, f1, sq, pq,
    class_acc: ratio(conf.pp + conf.nn, tp), confusion_gt_pred: conf,
    pos_precision: posP, pos_recall: posR, pos_f1: f1Score(posP, posR),
    neg_precision: negP, neg_recall: negR, neg_f1: f1Score(negP, negR),
    dice_fg: dice(gf, pf, bf), dice_pos: dPos, dice_neg: dNeg, dice_cls_mean: (dPos + dNeg) / 2, aji,
  };
}

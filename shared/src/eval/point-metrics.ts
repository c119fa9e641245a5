import { bipartiteGroups, solveAssignment } from './assignment';

/** One annotated nucleus centre (pixel coordinates, origin top-left). 'other' is not scored. */
export interface GtPoint {
  readonly x: number;
  readonly y: number;
  readonly label: string;
}

/** evaluate-points.py score() keys. */
export interface PointMetrics {
  n_gt: number; n_pred: number; pos_gt: number; pos_pred: number; tp: number; fp: number; fn: number;
  precision: number; recall: number; f1: number; class_acc: number; pos_f1: number; neg_f1: number;
  ki67_gt: number; ki67_pred: number; ki67_abs_err: number;
}

/** Python's cost for pairs farther than the radius: large enough that the count of close pairs wins. */
const FAR_COST = 1e6;

/**
 * evaluate-points.py: predicted centroids ([x, y] pairs) paired one-to-one with truth points
 * (Hungarian, minimum total distance, pairs within `radius` px). A prediction matched to an
 * 'other' point counts neither way; 'other' points are not truth.
 */
export function scorePoints(centroids: Float64Array, positive: ArrayLike<number | boolean>, points: readonly GtPoint[], radius: number): PointMetrics {
  const nP = centroids.length / 2, nG = points.length;
  const dist = (i: number, j: number): number => Math.sqrt((centroids[2 * i] - points[j].x) ** 2 + (centroids[2 * i + 1] - points[j].y) ** 2);
  const edges: Array<[number, number]> = [];
  for (let i = 0; i < nP; i++) for (let j = 0; j < nG; j++) if (dist(i, j) <= radius) edges.push([i, j]);
  const matches: Array<[number, number]> = [];
  for (const group of bipartiteGroups(edges, nP, nG)) {
    const r = group.rows.length, c = group.cols.length;
    const cost = new Float64Array(r * c);
    for (let a = 0; a < r; a++) {
      for (let b = 0; b < c; b++) {
        const d = dist(group.rows[a], group.cols[b]);
        cost[a * c + b] = d <= radius ? d : FAR_COST;
      }
    }
    for (const [a, b] of solveAssignment(cost, r, c)) {
      const i = group.rows[a], j = group.cols[b];
      if (dist(i, j) <= radius) matches.push([i, j]);
    }
  }
  const label = (j: number): string => points[j].label;
  const isPos = (i: number): boolean => Boolean(positive[i]);
  const ignoredP = new Set(matches.filter(([, j]) => label(j) === 'other').map(([i]) => i));
  const scored = matches.filter(([, j]) => label(j) !== 'other');
  const otherG = points.filter((p) => p.label === 'other').length;
  const tp = scored.length;
  const nPred = nP - ignoredP.size;
  const nGt = nG - otherG;
  const precision = nPred ? tp / nPred : 0;
  const recall = nGt ? tp / nGt : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const agree = scored.filter(([i, j]) => (isPos(i) && label(j) === 'positive') || (!isPos(i) && label(j) === 'negative')).length;
  const classF1 = (pos: boolean): number => {
    const want = pos ? 'positive' : 'negative';
    const t = scored.filter(([i, j]) => isPos(i) === pos && label(j) === want).length;
    let nPredClass = 0;
    for (let i = 0; i < nP; i++) if (!ignoredP.has(i) && isPos(i) === pos) nPredClass++;
    const nGtClass = points.filter((p) => p.label === want).length;
    const p = nPredClass ? t / nPredClass : 0, r = nGtClass ? t / nGtClass : 0;
    return p + r ? (2 * p * r) / (p + r) : 0;
  };
  const gp = points.filter((p) => p.label === 'positive').length;
  const gn = points.filter((p) => p.label === 'negative').length;
  let pp = 0;
  for (let i = 0; i < nP; i++) if (!ignoredP.has(i) && isPos(i)) pp++;
  const pn = nPred - pp;
  const kGt = gp + gn ? (100 * gp) / (gp + gn) : 0;
  const kPr = pp + pn ? (100 * pp) / (pp + pn) : 0;
  return {
    n_gt: nGt, n_pred: nPred, pos_gt: gp, pos_pred: pp, tp, fp: nPred - tp, fn: nGt - tp,
    precision, recall, f1, class_acc: tp ? agree / tp : 0, pos_f1: classF1(true), neg_f1: classF1(false),
    ki67_gt: kGt, ki67_pred: kPr, ki67_abs_err: Math.abs(kPr - kGt),
  };
}

/** Centroid [x, y] of each labelled cell (scipy center_of_mass), cells 1..count. */
export function cellCentroids(labels: Int32Array, width: number, count: number): Float64Array {
  const sum = new Float64Array(3 * (count + 1));
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === 0) continue;
    const y = Math.floor(i / width);
    sum[3 * l] += i - y * width;
    sum[3 * l + 1] += y;
    sum[3 * l + 2]++;
  }
  const out = new Float64Array(2 * count);
  for (let l = 1; l <= count; l++) {
    out[2 * (l - 1)] = sum[3 * l] / sum[3 * l + 2];
    out[2 * (l - 1) + 1] = sum[3 * l + 1] / sum[3 * l + 2];
  }
  return out;
}

import { type CellLabels, compareMasks, solveAssignment } from '../../src/eval';

/** Cells from rectangles [x0, y0, x1, y1) on a width x height grid, ids in list order. */
function cells(width: number, height: number, rects: Array<[number, number, number, number, boolean]>): CellLabels {
  const labels = new Int32Array(width * height);
  rects.forEach(([x0, y0, x1, y1], k) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) labels[y * width + x] = k + 1;
  });
  return { labels, count: rects.length, positive: rects.map((r) => (r[4] ? 1 : 0)) };
}

describe('compareMasks', () => {
  const gt = cells(20, 10, [[0, 0, 5, 5, true], [10, 0, 15, 5, false], [0, 6, 5, 10, false]]);
  const pred = cells(20, 10, [[0, 0, 5, 5, true], [11, 0, 15, 5, false], [3, 6, 8, 10, false], [16, 6, 20, 10, true]]);
  const m = compareMasks(gt, pred);

  it('matches cells one-to-one at IoU >= 0.5 and scores detection exactly', () => {
    expect(m).toMatchObject({ n_gt: 3, n_pred: 4, tp: 2, fp: 2, fn: 1, precision: 0.5 });
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(4 / 7, 12);
    expect(m.sq).toBeCloseTo(0.9, 12); // IoU 1 and 20/25
    expect(m.pq).toBeCloseTo(0.9 * (4 / 7), 12);
  });

  it('scores classes, Ki67 error, Dice and AJI', () => {
    expect(m.class_acc).toBe(1);
    expect(m.confusion_gt_pred).toEqual({ pp: 1, pn: 0, np: 0, nn: 1 });
    expect(m.ki67_gt).toBeCloseTo(100 / 3, 12);
    expect(m.ki67_pred).toBe(50);
    expect(m.ki67_abs_err).toBeCloseTo(50 - 100 / 3, 12);
    expect(m.dice_fg).toBeCloseTo(106 / 151, 12);
    expect(m.aji).toBeCloseTo(53 / 98, 12); // (25 + 20 + 8) / (25 + 25 + 32 + 16)
    expect(m.pos_precision).toBe(0.5);
    expect(m.pos_recall).toBe(1);
  });

  it('scores empty truth and prediction as perfect, and an empty prediction as zero', () => {
    const none = cells(4, 4, []);
    expect(compareMasks(none, none)).toMatchObject({ precision: 1, recall: 1, f1: 1, ki67_abs_err: null, aji: null });
    expect(compareMasks(gt, cells(20, 10, []))).toMatchObject({ tp: 0, precision: null, recall: 0, f1: null, aji: 0 });
  });
});

describe('solveAssignment', () => {
  it('finds the minimum total cost where a greedy choice would not', () => {
    expect(solveAssignment(Float64Array.from([1, 2, 1, 10]), 2, 2)).toEqual([[0, 1], [1, 0]]);
    // 3 rows, 2 columns: one row stays out.
    expect(solveAssignment(Float64Array.from([5, 9, 1, 7, 6, 2]), 3, 2)).toEqual([[1, 0], [2, 1]]);
  });
});

import { cellCentroids, scorePoints } from '../../src/eval';

describe('scorePoints', () => {
  it("matches within the radius, ignores 'other' truth and predictions matched to it", () => {
    const centroids = Float64Array.from([12, 10, 30, 14, 50, 11, 90, 90]);
    const positive = [1, 1, 0, 0];
    const points = [
      { x: 10, y: 10, label: 'positive' },
      { x: 30, y: 10, label: 'negative' },
      { x: 50, y: 10, label: 'other' },
      { x: 70, y: 10, label: 'positive' },
    ];
    const m = scorePoints(centroids, positive, points, 5);
    expect(m).toMatchObject({ n_gt: 3, n_pred: 3, tp: 2, fp: 1, fn: 1, pos_gt: 2, pos_pred: 2, class_acc: 0.5, pos_f1: 0.5, neg_f1: 0 });
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(m.ki67_abs_err).toBeCloseTo(0, 12);
  });

  it('pairs to maximise matches within the radius, not nearest-first', () => {
    const m = scorePoints(Float64Array.from([0, 0, 8, 0]), [1, 1], [{ x: 4, y: 0, label: 'positive' }, { x: -4, y: 0, label: 'positive' }], 5);
    expect(m.tp).toBe(2);
    expect(scorePoints(Float64Array.from([0, 0]), [1], [{ x: 10.5, y: 0, label: 'positive' }], 10).tp).toBe(0);
  });
});

describe('cellCentroids', () => {
  it('returns the mean pixel position of each label as [x, y]', () => {
    const labels = Int32Array.from([1, 1, 0, 0, 0, 2, 0, 0, 2]);
    expect(Array.from(cellCentroids(labels, 3, 2))).toEqual([0.5, 0, 2, 1.5]);
  });
});

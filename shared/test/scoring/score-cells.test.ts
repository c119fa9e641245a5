import type { Cell } from '../../src/postprocess';
import { scoreCells } from '../../src/scoring';

function cell(id: number, positive: boolean, meanDabOd: number | null, area = 100): Cell {
  return { id, x: 0, y: 0, bbox: [0, 0, 1, 1], area, positive, meanDabOd, meanMarker: null, maxMarker: null, boundary: [[0, 0]] };
}
const result = (cells: Cell[]) => ({ cells, segThresh: 120, sizeThresh: 42, sizeThreshUpper: null, sizeThreshRelative: 0.3, markerThresh: null });

describe('scoreCells', () => {
  it("has DeepLIIF's keys with percent_pos rounded like Python (ties to even)", () => {
    const cells = Array.from({ length: 400 }, (_, k) => cell(k + 1, k < 49, 0.5));
    const s = scoreCells(result(cells));
    expect(s).toMatchObject({
      num_total: 400, num_pos: 49, num_neg: 351, percent_pos: 12.2,
      prob_thresh: 120, seg_thresh: 120, size_thresh: 42, size_thresh_upper: null, size_thresh_relative: 0.3, marker_thresh: null,
    });
    expect(scoreCells(result(cells.slice(0, 3).concat(cells.slice(49, 52)))).percent_pos).toBe(50);
  });

  it('gives 0 without positive cells or without cells', () => {
    expect(scoreCells(result([cell(1, false, 0.1)])).percent_pos).toBe(0);
    const empty = scoreCells(result([]));
    expect(empty).toMatchObject({ num_total: 0, percent_pos: 0, h_score: 0, mean_cell_area_px: 0 });
    expect(empty.h_score_bins).toEqual({ negative: 0, weak_1plus: 0, moderate_2plus: 0, strong_3plus: 0 });
  });

  it('grades positive cells by DAB OD (classifier gating) into an H-score over all cells', () => {
    const cells = [cell(1, false, 0.9), cell(2, true, 0.1), cell(3, true, 0.45), cell(4, true, 0.6), cell(5, false, 0.05, 200)];
    const s = scoreCells(result(cells));
    expect(s.h_score_bins).toEqual({ negative: 2, weak_1plus: 1, moderate_2plus: 1, strong_3plus: 1 });
    expect(s.h_score).toBe(120); // (1 + 2 + 3) / 5 * 100
    expect(s.mean_cell_area_px).toBe(120);
  });

  it("grades every cell by OD alone with 'intensity' gating and custom cut-offs", () => {
    const cells = [cell(1, false, 0.9), cell(2, true, 0.1), cell(3, true, 0.45)];
    const s = scoreCells(result(cells), { hScoreGating: 'intensity', hScoreOdCutoffs: [0.3, 0.5, 0.8] });
    expect(s.h_score_bins).toEqual({ negative: 1, weak_1plus: 1, moderate_2plus: 0, strong_3plus: 1 });
    expect(s.h_score).toBe(133.3);
  });

  it('has no H-score when a cell lacks DAB OD, and rejects unordered cut-offs', () => {
    const s = scoreCells(result([cell(1, true, null)]));
    expect(s.h_score).toBeNull();
    expect(s.h_score_bins).toBeNull();
    expect(() => scoreCells(result([]), { hScoreOdCutoffs: [0.5, 0.4, 0.6] })).toThrow(/cut-offs/);
  });
});

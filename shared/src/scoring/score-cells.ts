import { RestainError } from '../errors';
import type { Cell, ExtractCellsResult } from '../postprocess/postprocess-options';
import { roundHalfEven } from '../postprocess/python-round';

/** DAB OD cut-offs of 1+, 2+ and 3+ (QuPath's positive cell detection defaults). */
export const DEFAULT_H_SCORE_OD_CUTOFFS: readonly [number, number, number] = [0.2, 0.4, 0.6];

/**
 * How cells are graded for the H-score. 'classifier' (default): negative cells are 0; positive
 * cells are 3+ at OD >= cut-off 3, 2+ at >= cut-off 2, else 1+ (a cell the classifier calls
 * positive is at least weak, so 1+..3+ add up to num_pos). 'intensity': QuPath's rule, every cell
 * graded by its OD alone (< cut-off 1 negative), whatever the classifier said.
 */
export type HScoreGating = 'classifier' | 'intensity';

export interface HScoreBins {
  readonly negative: number;
  readonly weak_1plus: number;
  readonly moderate_2plus: number;
  readonly strong_3plus: number;
}

/** scoring.json: DeepLIIF's keys (prob_thresh and seg_thresh both hold the seg threshold) plus ours. */
export interface Scoring {
  readonly num_total: number;
  readonly num_pos: number;
  readonly num_neg: number;
  /** 100 * num_pos / num_total, 1 decimal (Python rounding), 0 when there are no positive cells. */
  readonly percent_pos: number;
  readonly prob_thresh: number;
  readonly seg_thresh: number;
  readonly size_thresh: number;
  readonly size_thresh_upper: number | null;
  /** Cells under this fraction of the median cell area were dropped (0: none; not a DeepLIIF key). */
  readonly size_thresh_relative: number;
  readonly marker_thresh: number | null;
  /** 1*%1+ + 2*%2+ + 3*%3+ over all cells (0..300, 1 decimal); null when a cell has no DAB OD. */
  readonly h_score: number | null;
  readonly h_score_bins: HScoreBins | null;
  /** Mean cell area in px, 1 decimal, 0 without cells. */
  readonly mean_cell_area_px: number;
}

export interface ScoreOptions {
  readonly hScoreOdCutoffs?: readonly [number, number, number];
  readonly hScoreGating?: HScoreGating;
}

type ScoredResult = Pick<ExtractCellsResult, 'cells' | 'segThresh' | 'sizeThresh' | 'sizeThreshUpper' | 'sizeThreshRelative' | 'markerThresh'>;

/** Intensity grade 0..3 of one cell, or -1 when it has no DAB OD. */
function grade(cell: Cell, cutoffs: readonly [number, number, number], gating: HScoreGating): number {
  if (gating === 'classifier' && !cell.positive) return 0;
  if (cell.meanDabOd === null) return -1;
  const od = cell.meanDabOd;
  if (od >= cutoffs[2]) return 3;
  if (od >= cutoffs[1]) return 2;
  if (gating === 'classifier' || od >= cutoffs[0]) return 1;
  return 0;
}

/** Counts, percent positive, H-score and thresholds of one analysis (scoring.json). */
export function scoreCells(result: ScoredResult, options: ScoreOptions = {}): Scoring {
  const cutoffs = options.hScoreOdCutoffs ?? DEFAULT_H_SCORE_OD_CUTOFFS;
  const gating = options.hScoreGating ?? 'classifier';
  if (!(cutoffs[0] >= 0 && cutoffs[0] <= cutoffs[1] && cutoffs[1] <= cutoffs[2])) {
    throw new RestainError('INVALID_ARGUMENT', `Expected H-score OD cut-offs 0 <= 1+ <= 2+ <= 3+ but received [${cutoffs.join(', ')}]`);
  }
  const { cells } = result;
  const total = cells.length;
  let pos = 0, area = 0;
  const bins = [0, 0, 0, 0];
  let graded = true;
  for (const cell of cells) {
    if (cell.positive) pos++;
    area += cell.area;
    const g = grade(cell, cutoffs, gating);
    if (g < 0) graded = false;
    else bins[g]++;
  }
  const hScore = total === 0 ? 0 : (100 * (bins[1] + 2 * bins[2] + 3 * bins[3])) / total;
  return {
    num_total: total,
    num_pos: pos,
    num_neg: total - pos,
    // DeepLIIF: round(num_pos / num_total * 100, 1) if num_pos > 0 else 0
    percent_pos: pos > 0 ? roundHalfEven((pos / total) * 100, 1) : 0,
    prob_thresh: result.segThresh,
    seg_thresh: result.segThresh,
    size_thresh: result.sizeThresh,
    size_thresh_upper: result.sizeThreshUpper,
    size_thresh_relative: result.sizeThreshRelative,
    marker_thresh: result.markerThresh,
    h_score: graded ? roundHalfEven(hScore, 1) : null,
    h_score_bins: graded ? { negative: bins[0], weak_1plus: bins[1], moderate_2plus: bins[2], strong_3plus: bins[3] } : null,
    mean_cell_area_px: total === 0 ? 0 : roundHalfEven(area / total, 1),
  };
}

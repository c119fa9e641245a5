import { BOUNDARY_GREEN_THRESH, type PostprocessOptions } from '@restain/shared';
import { type Scoring, scoreCells } from '@restain/shared';
import { histogram256, type ResultPlanes } from './planes';
import { SegmentationCache, segLevelCounts } from './segmentation-cache';
import { type Contours, type LabelledSegmentation, labelSegmentation, traceContours } from './segmentation-stage';
import type { StageClock } from './stage-clock';
import { type SelectedCells, type SelectionMemo, selectCells } from './select-cells';

export interface LiveScore {
  readonly labelled: LabelledSegmentation;
  readonly selected: SelectedCells;
  readonly scoring: Scoring;
  /** Whether the segmentation came from the cache (a size/marker move, or a prefetched threshold). */
  readonly cached: boolean;
}

/**
 * Server-identical re-scoring of one result, staged for slider moves: labelling (seg threshold)
 * is cached per threshold, size and marker moves only re-select components and re-score.
 */
export class LiveRescorer {
  readonly cache: SegmentationCache;
  readonly markerHistogram: Float64Array | null;
  private readonly memos = new Map<number, SelectionMemo>();
  /** Contours traced on demand, per labelled segmentation (dropped with it). */
  private readonly contours = new WeakMap<LabelledSegmentation, Contours>();

  constructor(readonly planes: ResultPlanes, capacity = 24) {
    this.cache = new SegmentationCache(segLevelCounts(planes.seg, planes.segChannels, BOUNDARY_GREEN_THRESH), capacity);
    this.markerHistogram = planes.marker ? histogram256(planes.marker) : null;
  }

  /** The labelled segmentation at `segThresh`, from the cache or labelled now (and cached). */
  labelled(segThresh: number, clock?: StageClock): { labelled: LabelledSegmentation; cached: boolean } {
    const hit = this.cache.get(segThresh);
    if (hit) return { labelled: hit, cached: true };
    const labelled = labelSegmentation(this.planes, segThresh, clock);
    this.cache.set(labelled);
    return { labelled, cached: false };
  }

  /** Keep a segmentation labelled elsewhere (a prefetching worker). */
  adopt(labelled: LabelledSegmentation): void {
    if (!this.cache.has(labelled.segThresh)) this.cache.set(labelled);
  }

  /** The contours of `labelled`'s components (traced once, when first asked for). */
  contoursOf(labelled: LabelledSegmentation): Contours {
    let found = this.contours.get(labelled);
    if (!found) {
      found = traceContours(this.planes, labelled);
      this.contours.set(labelled, found);
    }
    return found;
  }

  rescore(options: PostprocessOptions, clock?: StageClock): LiveScore {
    const { labelled, cached } = this.labelled(options.segThresh, clock);
    const key = this.cache.keyOf(options.segThresh);
    let memo = this.memos.get(key);
    if (!memo) {
      memo = {};
      this.memos.set(key, memo);
      // Memos of evicted segmentations go with them.
      if (this.memos.size > this.cache.capacity * 2) for (const k of [...this.memos.keys()].slice(0, this.cache.capacity)) this.memos.delete(k);
    }
    const selected = selectCells(labelled, options, this.markerHistogram, () => this.contoursOf(labelled), memo);
    clock?.lap('select');
    const scoring = scoreCells(selected);
    clock?.lap('score');
    return { labelled, selected, scoring, cached };
  }
}

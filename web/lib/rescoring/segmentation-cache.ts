import type { LabelledSegmentation } from './segmentation-stage';

/** Seg levels R + B run 0..510; pixels with green above this are never cell pixels (BOUNDARY_GREEN_THRESH). */
const LEVELS = 511;

/**
 * How many candidate pixels (G <= greenThresh) have each R + B level: the mask at threshold t is
 * {R + B > t}, so two thresholds with the same count above them give the same mask.
 */
export function segLevelCounts(seg: Uint8Array, channels: number, greenThresh: number): Float64Array {
  const counts = new Float64Array(LEVELS);
  for (let p = 0; p < seg.length; p += channels) if (seg[p + 1] <= greenThresh) counts[seg[p] + seg[p + 2]]++;
  return counts;
}

/**
 * Labelled segmentations by seg threshold, least recently used evicted first. Thresholds that
 * select the same pixels share one entry (a Seg with few distinct levels needs few labellings).
 */
export class SegmentationCache {
  private readonly above: Float64Array;
  private readonly entries = new Map<number, LabelledSegmentation>();

  constructor(levelCounts: Float64Array, readonly capacity: number) {
    // above[t] = candidate pixels with level > t, for t = 0..254.
    this.above = new Float64Array(255);
    let total = 0;
    for (let level = levelCounts.length - 1; level >= 0; level--) {
      if (level <= 254) this.above[level] = total;
      total += levelCounts[level];
    }
  }

  /** Cache key of a threshold: the size of its pixel set (sets are nested, so equal size = same set). */
  keyOf(segThresh: number): number {
    return this.above[segThresh];
  }

  has(segThresh: number): boolean {
    return this.entries.has(this.keyOf(segThresh));
  }

  /** The labelled segmentation for `segThresh`, relabelled with that threshold, or undefined. */
  get(segThresh: number): LabelledSegmentation | undefined {
    const key = this.keyOf(segThresh);
    const found = this.entries.get(key);
    if (!found) return undefined;
    this.entries.delete(key);
    this.entries.set(key, found);
    return found.segThresh === segThresh ? found : { ...found, segThresh };
  }

  set(labelled: LabelledSegmentation): void {
    const key = this.keyOf(labelled.segThresh);
    this.entries.delete(key);
    this.entries.set(key, labelled);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as number);
  }

  get size(): number {
    return this.entries.size;
  }
}

import { DEFAULT_POSTPROCESS_OPTIONS } from '@restain/shared';
import { LatestWins } from './latest-wins';
import { rescoreBody, resultOptions, sameThresholds, sliderOptions, sliderReducer, sliderStateOf } from './live-thresholds';
import { SegmentationCache, segLevelCounts } from './segmentation-cache';
import type { LabelledSegmentation } from './segmentation-stage';

describe('slider state', () => {
  const saved = sliderStateOf(DEFAULT_POSTPROCESS_OPTIONS, { size: 39, marker: null });

  it('leaves auto / none when a number is moved, and Reset restores the saved thresholds', () => {
    let state = sliderReducer(saved, { type: 'size', value: 55.4 });
    state = sliderReducer(state, { type: 'marker', value: 300 });
    expect(state).toMatchObject({ sizeAuto: false, size: 55, markerMode: 'manual', marker: 255 });
    expect(sliderOptions(state, DEFAULT_POSTPROCESS_OPTIONS)).toMatchObject({ sizeThresh: 55, markerThresh: 255 });
    expect(sameThresholds(state, saved)).toBe(false);
    expect(sliderReducer(state, { type: 'reset', to: saved })).toEqual(saved);
  });

  it('moves the median-area gate in hundredths below 1 and writes it into the options', () => {
    expect(saved.relative).toBe(0.35);
    const state = sliderReducer(saved, { type: 'relative', value: 0.504 });
    expect(state.relative).toBe(0.5);
    expect(sliderOptions(state, DEFAULT_POSTPROCESS_OPTIONS).sizeThreshRelative).toBe(0.5);
    expect(sameThresholds(state, saved)).toBe(false);
    expect(sliderReducer(saved, { type: 'relative', value: 1 }).relative).toBe(0.95);
    expect(sliderReducer(saved, { type: 'relative', value: -1 }).relative).toBe(0);
    expect(sliderStateOf({ ...DEFAULT_POSTPROCESS_OPTIONS, sizeThreshRelative: undefined }).relative).toBe(0);
  });

  it("shows what 'auto' resolved to without leaving auto", () => {
    const state = sliderReducer({ ...saved, markerMode: 'auto' }, { type: 'resolved', size: 61, marker: 140 });
    expect(state).toMatchObject({ sizeAuto: true, size: 61, markerMode: 'auto', marker: 140 });
    expect(sliderOptions(state, DEFAULT_POSTPROCESS_OPTIONS)).toMatchObject({ sizeThresh: 'auto', markerThresh: 'auto' });
    expect(sameThresholds(state, { ...saved, markerMode: 'auto' })).toBe(true);
  });

  it('reads a version\'s options (manifest first) and writes the re-score body', () => {
    const fromManifest = resultOptions({ seg_thresh: 1 }, { parameters: { postprocess: { segThresh: 90, sizeThresh: 12, sizeThreshUpper: 800, markerThresh: 'auto', resolution: '20x' } } });
    // Made before the median-area gate existed: absent means off, not today's default.
    expect(fromManifest).toEqual({ segThresh: 90, sizeThresh: 12, sizeThreshUpper: 800, sizeThreshRelative: 0, markerThresh: 'auto', resolution: '20x' });
    expect(resultOptions(undefined, { parameters: { postprocess: { segThresh: 90, sizeThresh: 'auto', sizeThreshUpper: null, sizeThreshRelative: 0.2, markerThresh: 'none' } } }).sizeThreshRelative).toBe(0.2);
    const fromView = resultOptions({ seg_thresh: 130, size_thresh: 'auto', size_thresh_upper: 'none', size_thresh_relative: 0.4, marker_thresh: 77 }, null);
    expect(rescoreBody(fromView)).toEqual({ seg_thresh: 130, size_thresh: 'auto', size_thresh_upper: 'none', size_thresh_relative: 0.4, marker_thresh: 77 });
    expect(resultOptions({ seg_thresh: 130 }, null).sizeThreshRelative).toBe(0);
    expect(resultOptions(undefined, null)).toEqual(DEFAULT_POSTPROCESS_OPTIONS);
  });
});

describe('LatestWins', () => {
  it('runs one request at a time and only the latest waiting one, dropping stale ones', () => {
    const started: number[] = [];
    const scheduler = new LatestWins<number>((n) => started.push(n));
    scheduler.submit(1);
    for (const n of [2, 3, 4]) scheduler.submit(n);
    expect(started).toEqual([1]);
    scheduler.done();
    expect(started).toEqual([1, 4]);
    expect(scheduler.dropped).toBe(2);
    scheduler.done();
    expect(scheduler.busy).toBe(false);
    scheduler.submit(5);
    expect(started).toEqual([1, 4, 5]);
  });
});

describe('SegmentationCache', () => {
  // RGBA pixels with candidate levels (R + B, G <= 80) 100, 120 and 180; the pixel with G 200 never counts.
  const seg = Uint8Array.from([100, 0, 0, 60, 40, 0, 80, 0, 180, 0, 0, 255, 250, 200, 250, 255]);
  const counts = segLevelCounts(seg, 4, 80);

  it('keys thresholds by the pixels they select, so equivalent thresholds share one labelling', () => {
    const cache = new SegmentationCache(counts, 2);
    expect([0, 99, 100, 119, 120, 180].map((t) => cache.keyOf(t))).toEqual([3, 3, 2, 2, 1, 0]);
    const entry = (segThresh: number) => ({ segThresh }) as LabelledSegmentation;
    cache.set(entry(120));
    expect(cache.get(150)?.segThresh).toBe(150);
    expect(cache.has(99)).toBe(false);
    cache.set(entry(10));
    cache.get(120);
    cache.set(entry(110));
    // Least recently used (10) went first.
    expect([cache.has(10), cache.has(120), cache.has(110), cache.size]).toEqual([false, true, true, 2]);
  });
});

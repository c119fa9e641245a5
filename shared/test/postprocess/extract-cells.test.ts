import { RestainError } from '../../src/errors';
import { createRaster } from '../../src/image/raster';
import { DEFAULT_POSTPROCESS_OPTIONS, type PostprocessOptions, extractCells } from '../../src/postprocess';
import { BLUE, GREEN, RED, blankSeg, fillRect } from './seg-fixtures';

const opts = (o: Partial<PostprocessOptions> = {}): PostprocessOptions => ({ ...DEFAULT_POSTPROCESS_OPTIONS, sizeThresh: 0, ...o });

describe('extractCells thresholds', () => {
  it('counts a pixel when R + B > segThresh and G <= 80, as DeepLIIF create_posneg_mask', () => {
    const seg = blankSeg(30, 10);
    fillRect(seg, 1, 1, 4, 4, [60, 0, 60]); // R + B = 120: not a cell at 120
    fillRect(seg, 11, 1, 14, 4, [61, 0, 60]); // 121: a positive cell (R >= B)
    fillRect(seg, 21, 1, 24, 4, [100, 81, 100]); // green above 80: boundary, not a cell
    const result = extractCells(seg, opts());
    expect(result.cells.map((c) => [c.bbox[0], c.positive])).toEqual([[11, true]]);
    expect(extractCells(seg, opts({ segThresh: 119 })).cells).toHaveLength(2);
  });

  it('splits touching cells at a green line and merges them without it (majority class, ties positive)', () => {
    const seg = blankSeg(30, 12);
    fillRect(seg, 1, 1, 11, 11, RED);
    fillRect(seg, 12, 1, 22, 11, BLUE);
    fillRect(seg, 11, 0, 12, 12, GREEN); // line reaches the border: background
    const split = extractCells(seg, opts());
    expect(split.cells.map((c) => [c.area, c.positive])).toEqual([[100, true], [100, false]]);
    fillRect(seg, 11, 1, 12, 11, BLUE);
    const merged = extractCells(seg, opts());
    expect(merged.cells.map((c) => [c.area, c.positive])).toEqual([[210, false]]);
  });

  it('fills enclosed gaps into the cell around them and drops noise of 4 px or less', () => {
    const seg = blankSeg(20, 20);
    fillRect(seg, 2, 2, 10, 10, RED);
    fillRect(seg, 4, 4, 6, 6, GREEN); // enclosed: part of the cell (DeepLIIF mark_background)
    fillRect(seg, 15, 15, 17, 17, BLUE); // 4 px: noise
    const result = extractCells(seg, opts());
    expect(result.cells).toHaveLength(1);
    expect(result.cells[0].area).toBe(64);
    expect(result.labels[5 * 20 + 5]).toBe(1);
    expect(result.labels[15 * 20 + 15]).toBe(0);
  });

  it('keeps cells with sizeThresh < area < sizeThreshUpper', () => {
    const seg = blankSeg(60, 10);
    fillRect(seg, 1, 1, 6, 6, RED); // 25
    fillRect(seg, 10, 1, 16, 6, RED); // 30
    fillRect(seg, 20, 1, 27, 6, RED); // 35
    const areas = (o: Partial<PostprocessOptions>): number[] => extractCells(seg, opts(o)).cells.map((c) => c.area);
    expect(areas({ sizeThresh: 25 })).toEqual([30, 35]);
    expect(areas({ sizeThresh: 0, sizeThreshUpper: 35 })).toEqual([25, 30]);
  });

  it('drops cells under sizeThreshRelative x the median area of the cells the size gates keep (0: none)', () => {
    const seg = blankSeg(80, 12);
    fillRect(seg, 1, 1, 4, 4, BLUE); // 9: under 0.35 x 100
    fillRect(seg, 8, 1, 14, 6, BLUE); // 30: under 0.35 x 100 = 35
    fillRect(seg, 18, 1, 24, 7, BLUE); // 36
    fillRect(seg, 28, 1, 38, 11, RED); // 100
    fillRect(seg, 42, 1, 52, 11, RED); // 100
    fillRect(seg, 56, 1, 66, 11, RED); // 100
    const run = (o: Partial<PostprocessOptions>) => extractCells(seg, opts(o));
    // Median of 9, 30, 36, 100, 100, 100 is (36 + 100) / 2 = 68: 0.35 x 68 = 23.8.
    expect(run({}).cells.map((c) => c.area)).toEqual([30, 36, 100, 100, 100]);
    expect(run({}).sizeThreshRelative).toBe(0.35);
    // The median is over what the other gates keep: with sizeThresh 20 it is 100, so 30 goes too.
    expect(run({ sizeThresh: 20 }).cells.map((c) => c.area)).toEqual([36, 100, 100, 100]);
    expect(run({ sizeThreshRelative: 0 }).cells).toHaveLength(6);
    expect(run({ sizeThreshRelative: undefined }).cells).toHaveLength(6); // results made before the gate
    expect(run({ sizeThreshRelative: 0.99 }).cells.map((c) => c.area)).toEqual([100, 100, 100]);
    expect(extractCells(blankSeg(8, 8), opts()).cells).toEqual([]);
  });

  it("resolves sizeThresh 'auto' with DeepLIIF's KDE rule (42 px for 3x3 and 10x10 cells at 40x)", () => {
    const seg = blankSeg(300, 60);
    for (let k = 0; k < 12; k++) {
      fillRect(seg, 2 + 24 * k, 2, 5 + 24 * k, 5, BLUE); // 9 px
      fillRect(seg, 2 + 24 * k, 20, 12 + 24 * k, 30, BLUE); // 100 px
    }
    const result = extractCells(seg, opts({ sizeThresh: 'auto' }));
    expect(result.sizeThresh).toBe(42); // evaluate-seg.py default_size_thresh([9]*12 + [100]*12)
    expect(result.cells).toHaveLength(12);
    expect(extractCells(seg, opts({ sizeThresh: 'auto', resolution: '20x' })).sizeThresh).toBe(16);
  });
});

describe('extractCells marker threshold', () => {
  const seg = blankSeg(40, 10);
  fillRect(seg, 1, 1, 6, 6, BLUE);
  fillRect(seg, 10, 1, 15, 6, BLUE);
  const marker = createRaster(40, 10, 1);
  marker.data[3 * 40 + 3] = 200; // one bright pixel inside the first cell
  marker.data[3 * 40 + 12] = 90;

  it('makes a negative cell positive when its max marker > markerThresh', () => {
    const result = extractCells(seg, opts({ markerThresh: 150 }), { marker });
    expect(result.cells.map((c) => c.positive)).toEqual([true, false]);
    expect(result.cells.map((c) => c.maxMarker)).toEqual([200, 90]);
    expect(result.markerThresh).toBe(150);
    expect(extractCells(seg, opts({ markerThresh: 200 }), { marker }).cells[0].positive).toBe(false);
  });

  it("ignores the marker with 'none' and computes 'auto' from the non-zero marker percentiles", () => {
    expect(extractCells(seg, opts({ markerThresh: 'none' }), { marker }).markerThresh).toBeNull();
    const big = createRaster(1002, 1, 1);
    big.data.set([10, 30, ...new Array(997).fill(40), 90, 250, 250]);
    const bigSeg = blankSeg(1002, 1);
    // numpy: percentile 0.1 = 30.01, 99.9 = 249.84 -> round(0.9 * (250 - 30)) + 30 = 228
    expect(extractCells(bigSeg, opts({ markerThresh: 'auto' }), { marker: big }).markerThresh).toBe(228);
  });
});

describe('extractCells with maps given as row bands', () => {
  it('measures exactly as with whole maps, and checks the bands cover the image', () => {
    const seg = blankSeg(30, 9);
    fillRect(seg, 2, 1, 9, 7, BLUE);
    fillRect(seg, 15, 2, 25, 8, RED);
    const marker = createRaster(30, 9, 1);
    const dab = createRaster(30, 9, 1);
    for (let i = 0; i < marker.data.length; i++) {
      marker.data[i] = (i * 37) % 251;
      dab.data[i] = (i * 11) % 97;
    }
    const rows = (map: typeof marker, from: number, to: number) => ({ width: 30, height: to - from, channels: 1 as const, data: map.data.subarray(from * 30, to * 30) });
    const bands = (map: typeof marker) => (visit: (y: number, band: typeof marker) => void) => {
      visit(0, rows(map, 0, 4));
      visit(4, rows(map, 4, 9));
    };
    const options = opts({ markerThresh: 'auto' });
    const whole = extractCells(seg, options, { marker, dabOd: dab });
    const banded = extractCells(seg, options, { marker: bands(marker), dabOd: bands(dab) });
    expect(banded.cells).toEqual(whole.cells);
    expect(banded.markerThresh).toBe(whole.markerThresh);
    const short = (visit: (y: number, band: typeof marker) => void) => visit(0, rows(marker, 0, 4));
    expect(() => extractCells(seg, options, { marker: short })).toThrow(/Expected 9 rows of marker but received 4/);
  });
});

describe('extractCells cell records', () => {
  it('reports centroid, exclusive bbox, area, mean DAB OD and a clockwise simplified boundary', () => {
    const seg = blankSeg(12, 12);
    fillRect(seg, 2, 3, 5, 6, RED); // 3x3 at x 2..4, y 3..5
    const dab = createRaster(12, 12, 1);
    dab.data.fill(50); // OD 0.5
    dab.data[4 * 12 + 3] = 140; // centre pixel OD 1.4
    const [cell] = extractCells(seg, opts(), { dabOd: dab }).cells;
    expect(cell).toMatchObject({ id: 1, x: 3, y: 4, bbox: [2, 3, 5, 6], area: 9, positive: true, meanMarker: null });
    expect(cell.meanDabOd).toBeCloseTo(0.6, 10);
    expect(cell.boundary).toEqual([[2, 3], [4, 3], [4, 5], [2, 5]]);
  });

  it('rejects out-of-range thresholds and mismatched extras with RestainError', () => {
    const seg = blankSeg(4, 4);
    expect(() => extractCells(seg, opts({ segThresh: 300 }))).toThrow(RestainError);
    expect(() => extractCells(seg, opts({ markerThresh: 256 }))).toThrow(/markerThresh/);
    for (const bad of [1, -0.1, Number.NaN]) expect(() => extractCells(seg, opts({ sizeThreshRelative: bad }))).toThrow(/sizeThreshRelative/);
    expect(() => extractCells(seg, opts(), { marker: createRaster(5, 4, 1) })).toThrow(/Expected marker of 4x4/);
  });
});

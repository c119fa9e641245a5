import { cellsFromColours, rasterizeOutlines, restrictToAnnotated } from '../../src/eval';
import { BLUE, RED, blankSeg, fillRect } from '../postprocess/seg-fixtures';

function ringWithIsland(island: boolean) {
  const seg = blankSeg(16, 16);
  fillRect(seg, 2, 2, 14, 14, RED);
  fillRect(seg, 4, 4, 12, 12, [0, 0, 0]);
  if (island) fillRect(seg, 6, 6, 10, 10, BLUE);
  return seg;
}
const areas = (c: ReturnType<typeof cellsFromColours>): number[] => {
  const a = new Array(c.count).fill(0);
  for (const l of c.labels) if (l) a[l - 1]++;
  return a;
};

describe('cellsFromColours (evaluate-seg.py extract_cells)', () => {
  it("fills a hole enclosed by one cell with fill 'object', not with 'none'", () => {
    const seg = ringWithIsland(false);
    expect(areas(cellsFromColours(seg))).toEqual([144]);
    expect(areas(cellsFromColours(seg, { fill: 'none' }))).toEqual([80]);
  });

  it("leaves a hole touching two cells with 'object' but merges all with 'deepliif'", () => {
    const seg = ringWithIsland(true);
    const object = cellsFromColours(seg);
    expect(areas(object)).toEqual([80, 16]);
    expect(Array.from(object.positive)).toEqual([1, 0]);
    const deepliif = cellsFromColours(seg, { fill: 'deepliif' });
    expect(areas(deepliif)).toEqual([144]);
    expect(Array.from(deepliif.positive)).toEqual([1]);
  });

  it("applies the 'default' KDE size threshold to predictions", () => {
    const seg = blankSeg(300, 60);
    for (let k = 0; k < 12; k++) {
      fillRect(seg, 2 + 24 * k, 2, 5 + 24 * k, 5, BLUE);
      fillRect(seg, 2 + 24 * k, 20, 12 + 24 * k, 30, RED);
    }
    const c = cellsFromColours(seg, { sizeThresh: 'default' });
    expect(c.sizeThresh).toBe(42);
    expect(c.count).toBe(12);
  });
});

describe('restrictToAnnotated', () => {
  it('keeps predicted cells with at least the fraction of their area on truth dilated by 2 px', () => {
    const seg = blankSeg(10, 10);
    fillRect(seg, 5, 0, 9, 2, RED); // 8 px, 4 of them within 2 px of the annotated x < 5
    const pred = cellsFromColours(seg);
    const annotated = new Uint8Array(100);
    for (let y = 0; y < 10; y++) for (let x = 0; x < 5; x++) annotated[y * 10 + x] = 1;
    expect(restrictToAnnotated(pred, annotated, 0.5).count).toBe(1);
    expect(restrictToAnnotated(pred, annotated, 0.6).count).toBe(0);
  });
});

describe('rasterizeOutlines', () => {
  it('fills pixels whose centres are inside (even-odd), later polygons on top, tiny ones dropped', () => {
    const c = rasterizeOutlines(10, 10, [
      { label: 'positive', polygon: [[0, 0], [6, 0], [0, 6]] },
      { label: 'negative', polygon: [[0, 0], [3, 0], [3, 3], [0, 3]] },
      { label: 'negative', polygon: [[8, 8], [9, 8], [9, 9]] },
    ]);
    expect(c.count).toBe(2);
    expect(areas(c)).toEqual([6, 9]); // triangle: 15 centres with x + y <= 4, minus the 9 the square covers
    expect(Array.from(c.positive)).toEqual([1, 0]);
    expect(c.labels[4 * 10 + 0]).toBe(1);
    expect(c.labels[5 * 10 + 0]).toBe(0);
  });
});

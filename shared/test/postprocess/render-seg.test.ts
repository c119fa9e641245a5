import { DEFAULT_POSTPROCESS_OPTIONS, extractCells, renderSegOverlaid, renderSegRefined } from '../../src/postprocess';
import { cellsFromColours } from '../../src/eval';
import { createRaster } from '../../src/image/raster';
import { BLUE, GREEN, RED, blankSeg, fillRect, pixel } from './seg-fixtures';

function twoCells() {
  const seg = blankSeg(24, 12);
  fillRect(seg, 2, 2, 8, 8, [200, 30, 90]); // soft positive
  fillRect(seg, 9, 2, 15, 8, [40, 10, 220]); // soft negative, 1 px gap
  fillRect(seg, 8, 0, 9, 12, GREEN);
  return extractCells(seg, { ...DEFAULT_POSTPROCESS_OPTIONS, sizeThresh: 0 });
}

describe('renderSegRefined', () => {
  it('paints cells red/blue, the background ring green and the rest black', () => {
    const r = twoCells();
    const out = renderSegRefined(r.width, r.height, r.labels, r.cells);
    expect(pixel(out, 2, 2)).toEqual([...RED]);
    expect(pixel(out, 14, 7)).toEqual([...BLUE]);
    expect(pixel(out, 8, 4)).toEqual([...GREEN]);
    expect(pixel(out, 1, 1)).toEqual([...GREEN]);
    expect(pixel(out, 20, 10)).toEqual([0, 0, 0]);
  });

  it('reads back into exactly the same cells (extractCells and evaluate-seg rules)', () => {
    const r = twoCells();
    const out = renderSegRefined(r.width, r.height, r.labels, r.cells);
    const again = extractCells(out, { ...DEFAULT_POSTPROCESS_OPTIONS, sizeThresh: 0 });
    expect(Array.from(again.labels)).toEqual(Array.from(r.labels));
    expect(again.cells.map((c) => c.positive)).toEqual(r.cells.map((c) => c.positive));
    const evaluated = cellsFromColours(out);
    expect(Array.from(evaluated.labels)).toEqual(Array.from(r.labels));
    expect(Array.from(evaluated.positive)).toEqual([1, 0]);
  });
});

describe('renderSegOverlaid', () => {
  it('draws DeepLIIF outlines (edge pixels widened by one) in the class colour over the image', () => {
    const r = twoCells();
    const ihc = createRaster(24, 12, 3, 200);
    const out = renderSegOverlaid(ihc, r.labels, r.cells);
    expect(pixel(out, 2, 4)).toEqual([255, 0, 0]); // edge pixel of the positive cell
    expect(pixel(out, 1, 4)).toEqual([255, 0, 0]); // one outside
    expect(pixel(out, 3, 4)).toEqual([255, 0, 0]); // one inside
    expect(pixel(out, 4, 4)).toEqual([200, 200, 200]); // interior keeps the image
    expect(pixel(out, 14, 4)).toEqual([0, 0, 255]);
    expect(pixel(out, 20, 10)).toEqual([200, 200, 200]);
  });

  it('draws the same picture in place, into the image it was given', () => {
    const r = twoCells();
    const copy = renderSegOverlaid(createRaster(24, 12, 3, 200), r.labels, r.cells);
    const ihc = createRaster(24, 12, 3, 200);
    const inPlace = renderSegOverlaid(ihc, r.labels, r.cells, { inPlace: true });
    expect(inPlace.data).toBe(ihc.data);
    expect(Array.from(inPlace.data)).toEqual(Array.from(copy.data));
  });
});

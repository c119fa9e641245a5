import { DEFAULT_POSTPROCESS_OPTIONS, extractCells, renderSegOverlaid, renderSegRefined, segOverlaidBands, segRefinedBands } from '../../src/postprocess';
import type { Raster } from '../../src/image/raster';
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

/** Many touching and isolated cells of both classes, so band seams cross outlines. */
function manyCells() {
  const seg = blankSeg(40, 31);
  for (let k = 0; k < 12; k++) {
    const x = (k * 7) % 36, y = (k * 11) % 27;
    fillRect(seg, x, y, x + 4 + (k % 3), y + 3 + (k % 4), k % 2 ? [230, 20, 20] : [20, 20, 230]);
  }
  return extractCells(seg, { ...DEFAULT_POSTPROCESS_OPTIONS, sizeThresh: 0 });
}

function joined(bands: Iterable<Raster>): number[] {
  const out: number[] = [];
  for (const band of bands) out.push(...band.data);
  return out;
}

describe('row-band rendering (large images)', () => {
  it('segRefinedBands gives exactly the whole-image SegRefined, for any band height', () => {
    const r = manyCells();
    expect(r.cells.length).toBeGreaterThan(5);
    const whole = Array.from(renderSegRefined(r.width, r.height, r.labels, r.cells).data);
    for (const rows of [1, 2, 5, 31, 100]) expect(joined(segRefinedBands(r.width, r.height, r.labels, r.cells, rows))).toEqual(whole);
  });

  it('segOverlaidBands draws exactly the whole-image SegOverlaid over bands of the image, in place', () => {
    const r = manyCells();
    const image = (): Raster => {
      const ihc = createRaster(r.width, r.height, 3);
      for (let i = 0; i < ihc.data.length; i++) ihc.data[i] = (i * 37) % 251;
      return ihc;
    };
    const whole = Array.from(renderSegOverlaid(image(), r.labels, r.cells).data);
    for (const rows of [1, 3, 7, 31]) {
      const source = image();
      const bands = [];
      for (let y = 0; y < r.height; y += rows) {
        const h = Math.min(rows, r.height - y);
        bands.push({ y, band: { width: r.width, height: h, channels: 3 as const, data: source.data.subarray(y * r.width * 3, (y + h) * r.width * 3) } });
      }
      const drawn = [...segOverlaidBands(bands, r.width, r.height, r.labels, r.cells)];
      expect(drawn.map((b) => b.data)).toEqual(bands.map((b) => b.band.data));
      expect(Array.from(source.data)).toEqual(whole);
    }
  });

  it('segOverlaidBands rejects bands out of order, of another width, grey, or too few rows', () => {
    const r = manyCells();
    const band = (y: number, height: number, width = r.width, channels: 1 | 3 = 3) =>
      ({ y, band: { width, height, channels, data: new Uint8Array(width * height * channels) } });
    const run = (bands: { y: number; band: Raster }[]) => () => [...segOverlaidBands(bands, r.width, r.height, r.labels, r.cells)];
    expect(run([band(0, 10), band(11, 21)])).toThrow('Expected RGB image rows from 10 but received 3-channel rows from 11');
    expect(run([band(0, 31, 39)])).toThrow('Expected image rows of width 40 but received 39');
    expect(run([band(0, 31, 40, 1)])).toThrow('Expected RGB image rows from 0 but received 1-channel rows from 0');
    expect(run([band(0, 30)])).toThrow('Expected 31 image rows to overlay but received 30');
  });
});

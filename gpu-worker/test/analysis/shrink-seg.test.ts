import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_POSTPROCESS_OPTIONS, type Raster, createRaster, extractCells } from '@restain/shared';
import { SegShrinker, shrinkSeg, shrinkSegFile } from '../../src/analysis/shrink-seg';
import { RasterFileWriter, readRegion } from '../../src/image';

const RED = [200, 0, 0];
const BLUE = [0, 0, 180];
const GREEN = [0, 255, 0];

function paint(seg: Raster, x0: number, y0: number, x1: number, y1: number, rgb: number[]): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) seg.data.set(rgb, (y * seg.width + x) * 3);
}

/** Two nuclei side by side at the reference scale, split by a one-pixel green line at x = 20. */
function touchingPair(width = 40, height = 24): Raster {
  const seg = createRaster(width, height, 3);
  paint(seg, 5, 5, 20, 19, RED);
  paint(seg, 20, 5, 21, 19, GREEN);
  paint(seg, 21, 5, 35, 19, BLUE);
  return seg;
}

const shrinkWhole = (seg: Raster, width: number, height: number): Raster => shrinkSeg(seg, width, height, DEFAULT_POSTPROCESS_OPTIONS.segThresh);

/** Plain nearest-neighbour sampling with the same pixel-centre mapping, for comparison. */
function nearest(seg: Raster, width: number, height: number): Raster {
  const out = createRaster(width, height, 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.min(seg.width - 1, Math.floor(((x + 0.5) * seg.width) / width));
      const sy = Math.min(seg.height - 1, Math.floor(((y + 0.5) * seg.height) / height));
      out.data.set(seg.data.subarray((sy * seg.width + sx) * 3, (sy * seg.width + sx) * 3 + 3), (y * width + x) * 3);
    }
  }
  return out;
}

const cellsOf = (seg: Raster) => extractCells(seg, { ...DEFAULT_POSTPROCESS_OPTIONS, sizeThresh: 0, sizeThreshRelative: 0 }).cells;

describe('shrinkSeg', () => {
  it('keeps touching nuclei apart where a nearest-neighbour resize merges them', () => {
    const seg = touchingPair();
    // The resize skips the odd column that holds the line: one cell of both colours.
    expect(cellsOf(nearest(seg, 20, 12))).toHaveLength(1);
    const cells = cellsOf(shrinkWhole(seg, 20, 12));
    expect(cells.map((c) => c.positive)).toEqual([true, false]);
    expect(cells[0].x).toBeLessThan(10);
    expect(cells[1].x).toBeGreaterThan(10);
  });

  it('copies every other pixel from its nearest source pixel, soft values included', () => {
    const seg = touchingPair();
    const shrunk = shrinkWhole(seg, 20, 12);
    const plain = nearest(seg, 20, 12);
    let changed = 0;
    for (let i = 0; i < 20 * 12; i++) {
      const same = [0, 1, 2].every((k) => shrunk.data[i * 3 + k] === plain.data[i * 3 + k]);
      if (!same) {
        changed++;
        // Only the blue cell's pixels next to the red one (the later of each touching pair) give way.
        expect([...shrunk.data.subarray(i * 3, i * 3 + 3)]).toEqual(GREEN);
        expect([...plain.data.subarray(i * 3, i * 3 + 3)]).toEqual(BLUE);
        expect(i % 20).toBe(10);
      }
    }
    expect(changed).toBe(7);
  });

  it('never splits a nucleus the source holds as one', () => {
    const seg = createRaster(64, 64, 3);
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) if ((x - 32) ** 2 + (y - 30) ** 2 < 22 ** 2) seg.data.set(BLUE, (y * 64 + x) * 3);
    for (const size of [32, 16, 11]) {
      const cells = cellsOf(shrinkWhole(seg, size, size));
      expect(cells).toHaveLength(1);
      expect(cells[0].area).toBeGreaterThan(Math.PI * (22 * size / 64) ** 2 * 0.8);
    }
  });

  it('splits nuclei that only meet across background, as a cell at any segmentation threshold', () => {
    // Faint pixels between the two (columns 11-12) are not a cell at the default threshold of 120.
    const seg = createRaster(24, 8, 3);
    paint(seg, 0, 0, 11, 8, RED);
    paint(seg, 11, 0, 13, 8, [50, 0, 0]);
    paint(seg, 13, 0, 24, 8, RED);
    expect(cellsOf(nearest(seg, 8, 4))).toHaveLength(1);
    expect(cellsOf(shrinkWhole(seg, 8, 4))).toHaveLength(2);
  });
});

describe('SegShrinker', () => {
  it('says which source rows it needed when a band does not hold them', () => {
    const seg = touchingPair();
    const shrinker = new SegShrinker(40, 24, 20, 12, 120);
    expect(shrinker.sourceRows(0, 6)).toEqual({ first: 1, last: 11 });
    const band = { y0: 4, raster: { ...seg, height: 8, data: seg.data.subarray(4 * 40 * 3, 12 * 40 * 3) } };
    expect(() => shrinker.shrinkRows(band, 6)).toThrow('Expected RGB Seg rows 1-11 of width 40 but received 8 rows from 4 of width 40');
  });
});

describe('shrinkSegFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'restain-shrink-seg-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives the whole-raster result band by band, for sizes that do not divide', async () => {
    // Pairs stacked down a tall map: bands of a few rows each must agree with the whole.
    const pair = touchingPair(40, 24);
    const tall = createRaster(40, 24 * 9, 3);
    for (let k = 0; k < 9; k++) tall.data.set(pair.data, k * pair.data.length);
    const src = path.join(dir, 'seg.v');
    const dst = path.join(dir, 'seg-small.v');
    const writer = RasterFileWriter.create(src, tall.width, tall.height, 3, 0);
    writer.writeRegion(0, 0, tall);
    writer.close();
    await shrinkSegFile(src, dst, 17, 93, 120, { bandSourceBytes: 40 * 3 * 7 });
    const banded = await readRegion(dst, { x: 0, y: 0, width: 17, height: 93 });
    expect(Buffer.from(banded.data).equals(Buffer.from(shrinkWhole(tall, 17, 93).data))).toBe(true);
    expect(cellsOf(banded)).toHaveLength(18);
  });

  it('refuses to grow a map or to read a grey one', async () => {
    const src = path.join(dir, 'grey.v');
    const writer = RasterFileWriter.create(src, 8, 8, 1, 0);
    writer.close();
    await expect(shrinkSegFile(src, path.join(dir, 'x.v'), 4, 4, 120)).rejects.toThrow('Expected an RGB Seg file but grey.v has 1 channel(s)');
    const rgb = path.join(dir, 'rgb.v');
    RasterFileWriter.create(rgb, 8, 8, 3, 0).close();
    await expect(shrinkSegFile(rgb, path.join(dir, 'x.v'), 16, 4, 120)).rejects.toThrow('shrinkSegFile makes 8x8 px smaller but was asked for 16x4 px');
  });
});

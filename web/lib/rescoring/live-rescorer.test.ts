import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { type PostprocessOptions, extractCellsFromMask, renderSegOverlaid, scoreCells, segToMask } from '@restain/shared';
import { postprocessResult, resultFolderMaps } from '@restain/gpu-worker';
import { writePngRaster } from '@restain/gpu-worker/src/image/write-png';
import { LiveRescorer } from './live-rescorer';
import { OVERLAY_NEGATIVE, OVERLAY_POSITIVE, OverlayPainter } from './overlay-raster';
import { type ResultPlanes, greyFromInterleaved } from './planes';
import { syntheticMaps } from './synthetic-result.test-support';

const maps = syntheticMaps();
const { width, height } = maps.seg;

/** Decode a PNG to RGBA as the browser's getImageData does. */
async function rgba(file: string): Promise<Uint8Array> {
  const { data } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

let dir: string;
let planes: ResultPlanes;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'restain-live-'));
  await writePngRaster(maps.seg, path.join(dir, 'Seg.png'));
  await writePngRaster(maps.marker, path.join(dir, 'Marker.png'));
  await writePngRaster(maps.dab, path.join(dir, 'DAB.png'));
  await writePngRaster(maps.input, path.join(dir, 'Input.png'));
  // The worker's path: PNG -> RGBA -> planes (Marker and DAB as grey).
  planes = {
    width, height, seg: await rgba(path.join(dir, 'Seg.png')), segChannels: 4,
    marker: greyFromInterleaved(await rgba(path.join(dir, 'Marker.png')), 4),
    dab: greyFromInterleaved(await rgba(path.join(dir, 'DAB.png')), 4),
  };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const GRID: PostprocessOptions[] = [];
for (const segThresh of [0, 60, 120, 121, 200, 254]) {
  for (const sizeThresh of ['auto', 0, 40] as const) {
    for (const sizeThreshUpper of [null, 300]) {
      for (const markerThresh of ['none', 'auto', 100] as const) GRID.push({ segThresh, sizeThresh, sizeThreshUpper, markerThresh });
    }
  }
}

describe('live re-scoring', () => {
  it('gives exactly the cells and scores of the shared extractCells for every threshold combination', () => {
    const live = new LiveRescorer(planes);
    const extras = { marker: { width, height, channels: 1 as const, data: planes.marker as Uint8Array }, dabOd: maps.dab };
    let positives = 0;
    for (const options of GRID) {
      const expected = extractCellsFromMask(segToMask(maps.seg, options.segThresh), options, extras);
      const got = live.rescore(options);
      expect({ options, cells: got.selected.cells }).toEqual({ options, cells: expected.cells });
      expect(got.scoring).toEqual(scoreCells(expected));
      positives += got.scoring.num_pos;
    }
    // The grid exercises real cells: thresholds change counts and classes.
    const totals = new Set(GRID.map((options) => live.rescore(options).scoring.num_total));
    expect(totals.size).toBeGreaterThan(5);
    expect(positives).toBeGreaterThan(0);
  });

  it('agrees with the server re-score (postprocessResult over the PNG files)', async () => {
    const live = new LiveRescorer(planes);
    const picks = [GRID[0], GRID[19], GRID[40], GRID[57], GRID[70], GRID[GRID.length - 1], { ...GRID[44], resolution: '20x' as const }];
    for (const [k, options] of picks.entries()) {
      const out = path.join(dir, `out-${k}`);
      await import('node:fs/promises').then((fs) => fs.mkdir(out));
      const server = await postprocessResult(resultFolderMaps(dir, 1e8), out, options);
      const written = JSON.parse(await readFile(path.join(out, 'scoring.json'), 'utf8'));
      const got = live.rescore(options).scoring;
      expect({ options, got }).toEqual({ options, got: server.scoring });
      expect(got).toEqual(written);
    }
  });

  it('serves size and marker moves from the cached segmentation and labels a new seg threshold once', () => {
    const live = new LiveRescorer(planes);
    expect(live.rescore(GRID[0]).cached).toBe(false);
    expect(live.rescore({ ...GRID[0], sizeThresh: 40, markerThresh: 100 }).cached).toBe(true);
    expect(live.rescore({ ...GRID[0], segThresh: 200 }).cached).toBe(false);
    expect(live.rescore({ ...GRID[0], segThresh: 200, sizeThreshUpper: 300 }).cached).toBe(true);
    expect(live.cache.size).toBe(2);
  });

  it('draws outlines exactly where SegOverlaid colours them, across consecutive repaints', () => {
    const live = new LiveRescorer(planes);
    const painter = new OverlayPainter(width, height);
    const grey = { width, height, channels: 3 as const, data: new Uint8Array(width * height * 3).fill(128) };
    // Seg moves of one step (most outlines shared), jumps, and size / marker moves in between.
    const steps = [120, 121, 122, 130, 129].map((segThresh) => ({ ...GRID[0], segThresh }));
    for (const options of [GRID[0], GRID[45], GRID[20], ...steps, GRID[0]]) {
      const scored = live.rescore(options);
      const before = painter.rgba.slice();
      const [x0, y0, x1, y1] = painter.paint(scored.labelled, scored.selected);
      // Every pixel that changed lies in the returned rectangle (the part put on the canvas).
      for (let i = 0; i < width * height; i++) {
        const x = i % width, y = Math.floor(i / width);
        if (painter.rgba[i] !== before[i] && (x < x0 || x >= x1 || y < y0 || y >= y1)) throw new Error(`pixel ${x},${y} changed outside the dirty rectangle`);
      }
      const marker = { width, height, channels: 1 as const, data: planes.marker as Uint8Array };
      const expected = extractCellsFromMask(segToMask(maps.seg, options.segThresh), options, { marker });
      const overlaid = renderSegOverlaid(grey, expected.labels, expected.cells);
      let outlined = 0;
      for (let i = 0; i < width * height; i++) {
        const r = overlaid.data[3 * i], b = overlaid.data[3 * i + 2];
        const want = r === 255 && b === 0 ? OVERLAY_POSITIVE : r === 0 && b === 255 ? OVERLAY_NEGATIVE : 0;
        if (want) outlined++;
        if (painter.rgba[i] !== want) throw new Error(`pixel ${i % width},${Math.floor(i / width)}: ${painter.rgba[i].toString(16)} != ${want.toString(16)} at ${JSON.stringify(options)}`);
      }
      expect(outlined).toBeGreaterThan(100);
    }
  });
});

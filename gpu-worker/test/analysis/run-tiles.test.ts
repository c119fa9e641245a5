import { DEFAULT_POSTPROCESS_OPTIONS, type Raster, createRaster, extractCells } from '@restain/shared';
import { TILE_MARGIN_PX, runTiles } from '../../src/analysis/run-tiles';
import { CHANNEL_NAMES, type ChannelName, type Engine, type TileChannels } from '../../src/engines/engine';

function paint(seg: Raster, x0: number, y0: number, x1: number, y1: number, rgb: number[]): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) seg.data.set(rgb, (y * seg.width + x) * 3);
}

/**
 * A fixed-input model with a 1024 px input (twice the 512 px read window). Its Seg holds two nuclei
 * that touch, split by a one-pixel green line at an even column, which a nearest-neighbour shrink
 * to 512 px (it reads odd columns) skips; every other channel is plain grey.
 */
function largeInputModel(seen: Raster[]): Engine {
  const size = 1024;
  return {
    info: { name: 'large-input', version: '1', inputSize: size, parameters: {} },
    prepare: async () => ({}),
    inferTile: async (tile) => {
      seen.push(tile);
      const channels = {} as Record<ChannelName, Raster>;
      for (const name of CHANNEL_NAMES) channels[name] = createRaster(size, size, 3, 128);
      const seg = createRaster(size, size, 3);
      paint(seg, 400, 400, 600, 600, [220, 0, 0]);
      paint(seg, 600, 400, 601, 600, [0, 255, 0]);
      paint(seg, 601, 400, 800, 600, [0, 0, 220]);
      channels.Seg = seg;
      return channels as TileChannels;
    },
    close: async () => undefined,
  };
}

describe('runTiles with a fixed-input model', () => {
  it('shrinks a larger Seg cell by cell, so nuclei the model split stay two cells', async () => {
    const seen: Raster[] = [];
    const core = 512 - 2 * TILE_MARGIN_PX;
    const written = new Map<ChannelName, Raster>();
    const summary = await runTiles({
      engine: largeInputModel(seen),
      context: {},
      width: core,
      height: core,
      readTile: async (tile) => createRaster(tile.read.width, tile.read.height, 3, 90),
      sink: { write: (name, x, y, raster) => written.set(name, raster) },
      concurrency: 1,
      segThresh: DEFAULT_POSTPROCESS_OPTIONS.segThresh,
    });
    expect(summary).toMatchObject({ tilesTotal: 1, tilesInferred: 1, coreSizePx: core });
    expect(seen.map((tile) => [tile.width, tile.height])).toEqual([[1024, 1024]]);
    const seg = written.get('Seg')!;
    expect([seg.width, seg.height]).toEqual([core, core]);
    const cells = extractCells(seg, { ...DEFAULT_POSTPROCESS_OPTIONS, sizeThresh: 0, sizeThreshRelative: 0 }).cells;
    expect(cells.map((cell) => cell.positive).sort()).toEqual([false, true]);
    // Each is one nucleus of ~100 x 100 px at the window's scale, not a merged 200 x 100 one.
    for (const cell of cells) expect(cell.area).toBeGreaterThan(90 * 90);
    for (const cell of cells) expect(cell.area).toBeLessThan(101 * 101);
    // Other channels are resized as images (the plain grey stays grey).
    expect(new Set(written.get('Hema')!.data)).toEqual(new Set([128]));
  });
});

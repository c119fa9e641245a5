import { planTiles } from '../../src/tiling/plan-tiles';
import { isBackgroundTile } from '../../src/tiling/background';
import { createRaster } from '../../src/image/raster';

describe('planTiles', () => {
  it('partitions the image into cores that cover every pixel exactly once', () => {
    const width = 1300;
    const height = 700;
    const cover = new Uint8Array(width * height);
    const tiles = planTiles(width, height, 448, 32);
    expect(tiles).toHaveLength(3 * 2);
    for (const { core } of tiles) {
      for (let y = core.y; y < core.y + core.height; y++) {
        for (let x = core.x; x < core.x + core.width; x++) cover[y * width + x]++;
      }
    }
    expect(cover.every((count) => count === 1)).toBe(true);
  });

  it('reads a full-size window with the margin around each core, even past the edge', () => {
    const [first, second] = planTiles(600, 100, 448, 32);
    expect(first.read).toEqual({ x: -32, y: -32, width: 512, height: 512 });
    expect(second.core).toEqual({ x: 448, y: 0, width: 152, height: 100 });
    expect(second.read).toEqual({ x: 416, y: -32, width: 512, height: 512 });
  });

  it('gives an image smaller than a tile one tile', () => {
    const tiles = planTiles(10, 20, 512, 0);
    expect(tiles).toEqual([
      { index: 0, row: 0, column: 0, core: { x: 0, y: 0, width: 10, height: 20 }, read: { x: 0, y: 0, width: 512, height: 512 } },
    ]);
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => planTiles(0, 10, 512, 0)).toThrow(/positive integer image size/);
    expect(() => planTiles(10, 10, 512, -1)).toThrow(/non-negative margin/);
  });
});

describe('isBackgroundTile', () => {
  it('treats a white tile as background and a tile with a dark nucleus as tissue', () => {
    const tile = createRaster(64, 64, 3, 245);
    expect(isBackgroundTile(tile)).toBe(true);
    for (let y = 20; y < 30; y++) for (let x = 20; x < 30; x++) tile.data.fill(90, (y * 64 + x) * 3, (y * 64 + x) * 3 + 3);
    expect(isBackgroundTile(tile)).toBe(false);
  });
});

import type { Raster } from '../image/raster';

/**
 * True when a tile holds (almost) no tissue: fewer than `minTissueFraction` of its pixels are darker
 * than `whiteLevel` in their darkest channel. Such tiles are skipped and rendered as background.
 */
export function isBackgroundTile(tile: Raster, whiteLevel = 215, minTissueFraction = 0.002): boolean {
  const { data, channels } = tile;
  const pixels = tile.width * tile.height;
  const limit = Math.max(1, Math.floor(pixels * minTissueFraction));
  let tissue = 0;
  for (let i = 0; i < data.length; i += channels) {
    let darkest = data[i];
    for (let c = 1; c < Math.min(channels, 3); c++) if (data[i + c] < darkest) darkest = data[i + c];
    if (darkest < whiteLevel && ++tissue >= limit) return false;
  }
  return true;
}

import sharp from 'sharp';
import type { Raster } from '@restain/shared';

/** Resize an in-memory raster (e.g. a tile to a model's input size and back). */
export async function resizeRaster(
  raster: Raster,
  width: number,
  height: number,
  kernel: 'nearest' | 'linear' | 'lanczos3' = 'lanczos3',
): Promise<Raster> {
  if (raster.width === width && raster.height === height) return raster;
  const { data, info } = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels } })
    .resize(width, height, { kernel, fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width, height, channels: info.channels as Raster['channels'], data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

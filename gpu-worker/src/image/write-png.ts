import sharp from 'sharp';
import type { Raster } from '@restain/shared';

/** Encode an in-memory raster as PNG (no metadata) at `filePath`. */
export async function writePngRaster(raster: Raster, filePath: string): Promise<void> {
  // A Buffer view over the raster's memory: sharp reads it in place (no copy of a large image).
  const view = Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength);
  await sharp(view, { raw: { width: raster.width, height: raster.height, channels: raster.channels } })
    .png({ compressionLevel: 6 })
    .toFile(filePath);
}

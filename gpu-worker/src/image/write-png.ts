import sharp from 'sharp';
import type { Raster } from '@restain/shared';

/** Encode an in-memory raster as PNG (no metadata) at `filePath`. */
export async function writePngRaster(raster: Raster, filePath: string): Promise<void> {
  await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels } })
    .png({ compressionLevel: 6 })
    .toFile(filePath);
}

import { type BackgroundIntensity, DAB_OD_LEVELS_PER_UNIT, type StainVectors, deconvolveStains } from '@restain/shared';
import { RasterFileWriter, readRegion } from '../image';

/** Rows deconvolved at once: bounds memory to a strip whatever the image height. */
const STRIP_ROWS = 256;

/**
 * Write the DAB optical density of an RGB image as an 8-bit grey raster file (level =
 * OD x DAB_OD_LEVELS_PER_UNIT), strip by strip. Per-cell DAB intensity (H-score) is read from it.
 */
export async function writeDabMap(
  sourcePath: string,
  width: number,
  height: number,
  stain: { stains: StainVectors; background: BackgroundIntensity },
  targetPath: string,
): Promise<void> {
  const writer = RasterFileWriter.create(targetPath, width, height, 1, 0);
  try {
    for (let y = 0; y < height; y += STRIP_ROWS) {
      const rows = Math.min(STRIP_ROWS, height - y);
      const strip = await readRegion(sourcePath, { x: 0, y, width, height: rows });
      const dab = deconvolveStains(strip, stain.stains, stain.background).dab.data;
      const levels = new Uint8Array(dab.length);
      for (let i = 0; i < dab.length; i++) {
        const level = Math.round(dab[i] * DAB_OD_LEVELS_PER_UNIT);
        levels[i] = level <= 0 ? 0 : level >= 255 ? 255 : level;
      }
      writer.writeRegion(0, y, { width, height: rows, channels: 1, data: levels });
    }
  } finally {
    writer.close();
  }
}

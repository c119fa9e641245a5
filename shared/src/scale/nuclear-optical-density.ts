import type { FloatPlane, Raster } from '../image/raster';

/** A window of an image, in pixels. */
export interface ScaleSampleRegion {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** OD at which the nuclear signal is 63 % saturated: pale hematoxylin (~0.2) stays near-linear. */
const SATURATION_OD = 0.4;

/**
 * Saturated optical density of the darkest channel, 1 - exp(-OD / 0.4) with OD = -log10((v + 1) / 256).
 * Hematoxylin (absorbs red) and DAB (absorbs blue most) both darken at least one channel, so blue
 * and brown nuclei alike become bright blobs on a near-zero background; the saturation flattens the
 * chromatin grain and overlaps of dark DAB nuclei, which would otherwise outshine whole pale nuclei.
 */
const NUCLEAR_SIGNAL = (() => {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = 1 - Math.exp(Math.log10((v + 1) / 256) / SATURATION_OD);
  return table;
})();

/** Nuclear signal (0..1) of `region` of an 8-bit raster (transparent RGBA pixels read as blank glass). */
export function nuclearOpticalDensity(image: Raster, region: ScaleSampleRegion): FloatPlane {
  const { width, height } = region;
  const out = new Float32Array(width * height);
  const { channels, data } = image;
  for (let row = 0; row < height; row++) {
    let src = ((region.y + row) * image.width + region.x) * channels;
    let dst = row * width;
    if (channels === 1) {
      for (let col = 0; col < width; col++) out[dst++] = NUCLEAR_SIGNAL[data[src++]];
      continue;
    }
    for (let col = 0; col < width; col++, src += channels) {
      if (channels === 4 && data[src + 3] < 128) {
        out[dst++] = 0;
        continue;
      }
      let darkest = data[src];
      if (data[src + 1] < darkest) darkest = data[src + 1];
      if (data[src + 2] < darkest) darkest = data[src + 2];
      out[dst++] = NUCLEAR_SIGNAL[darkest];
    }
  }
  return { width, height, data: out };
}

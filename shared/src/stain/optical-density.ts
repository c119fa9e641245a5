import { RestainError } from '../errors';
import type { Raster } from '../image/raster';

/** Per-channel intensity of unstained glass (RGB, 1..255): the I0 of Beer-Lambert. */
export type BackgroundIntensity = readonly [number, number, number];

/** Ideal white light, used when the background is given as such or cannot be estimated. */
export const WHITE_BACKGROUND: BackgroundIntensity = [255, 255, 255];

/** Darkest plausible glass per channel: below it a "background" estimate is tissue, not glass. */
export const MIN_BACKGROUND_INTENSITY = 150;

/** Options for background estimation. */
export interface BackgroundEstimateOptions {
  /** Fraction of the brightest pixels (by R+G+B) averaged into the estimate; default 0.02. */
  readonly brightestFraction?: number;
}

/**
 * Estimate the glass intensity I0 per channel as the mean colour of the brightest pixels,
 * because tiles often contain little glass and a fixed 255 overstates the OD of pale tissue.
 * Falls back to white when the brightest pixels are too dark to be glass.
 */
export function estimateBackgroundIntensity(raster: Raster, options: BackgroundEstimateOptions = {}): BackgroundIntensity {
  const fraction = options.brightestFraction ?? 0.02;
  if (!(fraction > 0 && fraction <= 1)) {
    throw new RestainError('INVALID_ARGUMENT', `Expected brightestFraction in (0, 1] but received ${fraction}`);
  }
  assertStainableRaster(raster);
  const { data, channels } = raster;
  const count = raster.width * raster.height;
  if (count === 0) return WHITE_BACKGROUND;
  const histogram = new Uint32Array(766);
  for (let p = 0, o = 0; p < count; p++, o += channels) histogram[data[o] + data[o + 1] + data[o + 2]]++;
  const wanted = Math.max(1, Math.round(count * fraction));
  let cut = 765;
  for (let seen = 0; cut > 0; cut--) {
    seen += histogram[cut];
    if (seen >= wanted) break;
  }
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  for (let p = 0, o = 0; p < count; p++, o += channels) {
    if (data[o] + data[o + 1] + data[o + 2] < cut) continue;
    r += data[o];
    g += data[o + 1];
    b += data[o + 2];
    n++;
  }
  const estimate: BackgroundIntensity = [r / n, g / n, b / n];
  return estimate.every((v) => v >= MIN_BACKGROUND_INTENSITY) ? estimate : WHITE_BACKGROUND;
}

/**
 * Lookup table of optical density per channel and 8-bit value: OD = -log10(max(I, 1) / I0),
 * clamped at 0 (pixels brighter than the glass carry no stain). Layout: [channel * 256 + value].
 */
export function opticalDensityTable(background: BackgroundIntensity = WHITE_BACKGROUND): Float32Array {
  const table = new Float32Array(768);
  for (let c = 0; c < 3; c++) {
    const i0 = background[c];
    if (!(i0 >= 1 && i0 <= 255)) {
      throw new RestainError('INVALID_ARGUMENT', `Expected background intensities in [1, 255] but received [${background.join(', ')}]`);
    }
    for (let v = 0; v < 256; v++) table[c * 256 + v] = Math.max(0, -Math.log10(Math.max(v, 1) / i0));
  }
  return table;
}

/** Throw unless the raster is RGB or RGBA with a matching byte count. */
export function assertStainableRaster(raster: Raster): void {
  if (raster.channels !== 3 && raster.channels !== 4) {
    throw new RestainError('INVALID_ARGUMENT', `Expected an RGB or RGBA raster but received ${raster.channels} channel(s)`);
  }
  if (raster.data.length !== raster.width * raster.height * raster.channels) {
    throw new RestainError('INVALID_ARGUMENT', `Expected ${raster.width * raster.height * raster.channels} bytes for a ${raster.width}x${raster.height}x${raster.channels} raster but received ${raster.data.length}`);
  }
}

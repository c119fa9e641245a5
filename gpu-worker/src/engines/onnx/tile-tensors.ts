import type { Raster } from '@restain/shared';
import type { DisplayAdjustment, Normalisation, OutputScaling } from './manifest';

/** Per-channel byte -> float lookup tables (3 x 256), so normalising a tile is one load per sample. */
export function normalisationTables(normalisation: Normalisation): Float32Array[] {
  return [0, 1, 2].map((c) => {
    const table = new Float32Array(256);
    for (let v = 0; v < 256; v++) {
      table[v] = normalisation.kind === 'tanh' ? v / 127.5 - 1 : (v / 255 - normalisation.mean[c]) / normalisation.std[c];
    }
    return table;
  });
}

/** Interleaved RGB(A) bytes -> planar NCHW float32 [1, 3, h, w] written into `target` (reused). */
export function normaliseInto(tile: Raster, tables: readonly Float32Array[], target: Float32Array): void {
  const pixels = tile.width * tile.height;
  const stride = tile.channels;
  const src = tile.data;
  const [t0, t1, t2] = tables;
  for (let i = 0, s = 0; i < pixels; i++, s += stride) {
    target[i] = t0[src[s]];
    target[pixels + i] = t1[src[s + 1]];
    target[2 * pixels + i] = t2[src[s + 2]];
  }
}

/** target = sum_i weights[i] * sources[i], element-wise (DeepLIIF fuses its seg generators this way). */
export function fuseInto(target: Float32Array, sources: readonly Float32Array[], weights: readonly number[]): void {
  target.fill(0);
  for (let k = 0; k < sources.length; k++) {
    const w = weights[k];
    if (w === 0) continue;
    const src = sources[k];
    for (let i = 0; i < target.length; i++) target[i] += w * src[i];
  }
}

/**
 * Planar float32 [1, 3, h, w] network output -> interleaved RGB bytes; `planes` picks which output
 * plane becomes red, green and blue.
 */
export function planesToRaster(
  data: Float32Array,
  width: number,
  height: number,
  scaling: OutputScaling,
  planes: readonly [number, number, number] = [0, 1, 2],
): Raster {
  const pixels = width * height;
  const out = new Uint8Array(pixels * 3);
  // (y+1)*127.5 == y*127.5+127.5; 'unit' is y*255+0.
  const scale = scaling.kind === 'tanh' ? 127.5 : 255;
  const offset = scaling.kind === 'tanh' ? 127.5 : 0;
  const nearest = scaling.rounding === 'nearest' ? 0.5 : 0;
  for (let c = 0; c < 3; c++) {
    const base = planes[c] * pixels;
    for (let i = 0, o = c; i < pixels; i++, o += 3) {
      const v = data[base + i] * scale + offset + nearest;
      // Uint8Array stores truncate toward zero; clamp first so out-of-range values saturate.
      out[o] = v <= 0 ? 0 : v >= 255 ? 255 : v;
    }
  }
  return { width, height, channels: 3, data: out };
}

const ZERO_INDEX = { R: 0, G: 1, B: 2 } as const;

/**
 * DeepLIIF's display step for a modality, in place: PIL convert('L') luma
 * (L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16) copied to all channels, then channels zeroed.
 */
export function applyDisplay(raster: Raster, display: DisplayAdjustment): void {
  const d = raster.data;
  if (display.grayscale) {
    for (let o = 0; o < d.length; o += 3) {
      const l = (d[o] * 19595 + d[o + 1] * 38470 + d[o + 2] * 7471 + 0x8000) >> 16;
      d[o] = l;
      d[o + 1] = l;
      d[o + 2] = l;
    }
  }
  for (const channel of display.zeroChannels) {
    for (let o = ZERO_INDEX[channel]; o < d.length; o += 3) d[o] = 0;
  }
}

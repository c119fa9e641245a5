import type { FloatPlane, Raster } from '../image/raster';
import { roundClamped } from '../image/rounding';
import { assertStainableRaster, opticalDensityTable, type BackgroundIntensity, WHITE_BACKGROUND } from './optical-density';
import { invert3x3, stainMatrix, type StainVector, type StainVectors, DEFAULT_HDAB_VECTORS } from './stain-vectors';

/** Stain amounts per pixel in OD units (concentration x unit vector = the stain's OD). */
export interface StainConcentrations {
  readonly hematoxylin: FloatPlane;
  readonly dab: FloatPlane;
  /** What neither stain explains (the cross-product third vector); near 0 on a clean H-DAB slide. */
  readonly residual: FloatPlane;
}

/**
 * Colour deconvolution (Ruifrok & Johnston 2001): per-pixel OD (from a lookup table, one pass)
 * times the inverse stain matrix. Concentrations may be slightly negative where the image does
 * not follow the two-stain model; callers clamp where they need amounts. The residual, which few
 * callers read, is worked out on its first read (from the raster as it is then).
 */
export function deconvolveStains(
  raster: Raster,
  stains: StainVectors = DEFAULT_HDAB_VECTORS,
  background: BackgroundIntensity = WHITE_BACKGROUND,
): StainConcentrations {
  assertStainableRaster(raster);
  const { width, height, channels, data } = raster;
  const count = width * height;
  const table = opticalDensityTable(background);
  const inv = invert3x3(stainMatrix(stains));
  const h = new Float32Array(count);
  const d = new Float32Array(count);
  const [a0, a1, , b0, b1, , c0, c1] = inv;
  for (let p = 0, o = 0; p < count; p++, o += channels) {
    const odR = table[data[o]];
    const odG = table[256 + data[o + 1]];
    const odB = table[512 + data[o + 2]];
    // c = od . inv (od as a row vector against the row-major matrix of stain rows)
    h[p] = odR * a0 + odG * b0 + odB * c0;
    d[p] = odR * a1 + odG * b1 + odB * c1;
  }
  let residual: FloatPlane | undefined;
  return {
    hematoxylin: { width, height, data: h },
    dab: { width, height, data: d },
    get residual(): FloatPlane {
      residual ??= { width, height, data: residualAmounts(data, channels, count, table, inv) };
      return residual;
    },
  };
}

/** Third column of the deconvolution: what neither stain explains, per pixel. */
function residualAmounts(data: Uint8Array, channels: number, count: number, table: Float32Array, inv: Float64Array): Float32Array {
  const r = new Float32Array(count);
  const [, , a2, , , b2, , , c2] = inv;
  for (let p = 0, o = 0; p < count; p++, o += channels) {
    r[p] = table[data[o]] * a2 + table[256 + data[o + 1]] * b2 + table[512 + data[o + 2]] * c2;
  }
  return r;
}

/**
 * Beer-Lambert re-composition of one stain on white: I = white * 10^(-c * v), c clamped at 0.
 * Writes an RGB raster (channels 3) of the plane's size. Amounts must be finite and below about
 * 8e6 OD in magnitude (any real OD is).
 */
export function recomposeStain(plane: FloatPlane, vector: StainVector, white = 255): Raster {
  const { width, height, data } = plane;
  const out = new Uint8Array(width * height * 3);
  // 1024-step table over c in [0, 4) OD keeps the pass free of Math.pow per pixel.
  const steps = 1024;
  const maxOd = 4;
  const table = new Uint8Array(steps * 3);
  for (let i = 0; i < steps; i++) {
    const c = (i / (steps - 1)) * maxOd;
    for (let k = 0; k < 3; k++) table[i * 3 + k] = Math.round(white * Math.pow(10, -c * vector[k]));
  }
  const scale = (steps - 1) / maxOd;
  for (let p = 0, o = 0; p < data.length; p++, o += 3) {
    const i = roundClamped(data[p] * scale, steps - 1);
    out[o] = table[i * 3];
    out[o + 1] = table[i * 3 + 1];
    out[o + 2] = table[i * 3 + 2];
  }
  return { width, height, channels: 3, data: out };
}

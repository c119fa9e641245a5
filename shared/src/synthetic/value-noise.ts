import type { Random } from './random';

/**
 * Smooth random field (value noise): random values on a lattice, interpolated with smoothstep.
 * The lattice may be anisotropic and rotated, which gives fibre-like stroma texture.
 */
export interface NoiseLattice {
  readonly values: Float32Array;
  readonly columns: number;
  readonly rows: number;
  /** Maps image x, y to lattice u, v: u = (x * cos + y * sin) / wavelengthU - originU. */
  readonly cosU: number;
  readonly sinU: number;
  readonly cosV: number;
  readonly sinV: number;
  readonly originU: number;
  readonly originV: number;
}

/** A lattice covering a width x height image; wavelengths in pixels, angle in radians. */
export function createNoiseLattice(
  random: Random,
  width: number,
  height: number,
  wavelengthU: number,
  wavelengthV = wavelengthU,
  angle = 0,
): NoiseLattice {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cornersU = [0, width * cos, height * sin, width * cos + height * sin];
  const cornersV = [0, -width * sin, height * cos, -width * sin + height * cos];
  const minU = Math.min(...cornersU) / wavelengthU;
  const maxU = Math.max(...cornersU) / wavelengthU;
  const minV = Math.min(...cornersV) / wavelengthV;
  const maxV = Math.max(...cornersV) / wavelengthV;
  const columns = Math.ceil(maxU - minU) + 3;
  const rows = Math.ceil(maxV - minV) + 3;
  const values = new Float32Array(columns * rows);
  for (let i = 0; i < values.length; i++) values[i] = random.next() * 2 - 1;
  return {
    values,
    columns,
    rows,
    cosU: cos / wavelengthU,
    sinU: sin / wavelengthU,
    cosV: cos / wavelengthV,
    sinV: sin / wavelengthV,
    originU: Math.floor(minU) - 1,
    originV: Math.floor(minV) - 1,
  };
}

/** Field value in [-1, 1] at image position (x, y). */
export function sampleNoise(lattice: NoiseLattice, x: number, y: number): number {
  const u = x * lattice.cosU + y * lattice.sinU - lattice.originU;
  const v = y * lattice.cosV - x * lattice.sinV - lattice.originV;
  const iu = u | 0;
  const iv = v | 0;
  let fu = u - iu;
  let fv = v - iv;
  fu = fu * fu * (3 - 2 * fu);
  fv = fv * fv * (3 - 2 * fv);
  const values = lattice.values;
  const row = iv * lattice.columns + iu;
  const top = values[row] + (values[row + 1] - values[row]) * fu;
  const below = row + lattice.columns;
  const bottom = values[below] + (values[below + 1] - values[below]) * fu;
  return top + (bottom - top) * fv;
}

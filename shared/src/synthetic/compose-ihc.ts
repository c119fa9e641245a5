import type { Raster } from '../image/raster';
import type { Random } from './random';
import { DAB_OD, GLASS_OD, HEMATOXYLIN_OD } from './stain-constants';
import { tissueLevel, type TissueField } from './tissue-field';
import { sampleNoise, type NoiseLattice } from './value-noise';

/** The background behind the nuclei: tissue extent, haze and stroma texture. */
export interface BackgroundSettings {
  readonly tissue: TissueField;
  readonly stroma: NoiseLattice;
  readonly haze: NoiseLattice;
  readonly hazeStrength: number;
  readonly stromaTexture: number;
}

const OD_STEPS_PER_UNIT = 4096;
const OD_MAX = 8;
const NOISE_TABLE_SIZE = 1024;
/** Tissue extent and haze patches vary over tens of µm: sampled on a coarse grid, interpolated. */
const GRID_SHIFT = 2;
const GRID_STEP_PX = 1 << GRID_SHIFT;
const INV_GRID_STEP = 1 / GRID_STEP_PX;

interface BackgroundGrid {
  readonly columns: number;
  /** Haze weight (tissue level x haze strength) and haze patch noise at grid nodes, row-major. */
  readonly weight: Float32Array;
  readonly patch: Float32Array;
}

function backgroundGrid(width: number, height: number, background: BackgroundSettings): BackgroundGrid {
  const columns = Math.ceil((width - 1) / GRID_STEP_PX) + 2;
  const rows = Math.ceil((height - 1) / GRID_STEP_PX) + 2;
  const weight = new Float32Array(columns * rows);
  const patch = new Float32Array(columns * rows);
  if (background.hazeStrength <= 0) return { columns, weight, patch };
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < columns; i++) {
      const x = Math.min(i * GRID_STEP_PX, width - 1);
      const y = Math.min(j * GRID_STEP_PX, height - 1);
      weight[j * columns + i] = background.hazeStrength * tissueLevel(background.tissue, x, y);
      patch[j * columns + i] = sampleNoise(background.haze, x, y);
    }
  }
  return { columns, weight, patch };
}

function interpolateRow(grid: BackgroundGrid, y: number, weightRow: Float32Array, patchRow: Float32Array): void {
  const gy = y >> GRID_SHIFT;
  const fy = (y & (GRID_STEP_PX - 1)) * INV_GRID_STEP;
  const top = gy * grid.columns;
  const below = top + grid.columns;
  for (let i = 0; i < grid.columns; i++) {
    weightRow[i] = grid.weight[top + i] + (grid.weight[below + i] - grid.weight[top + i]) * fy;
    patchRow[i] = grid.patch[top + i] + (grid.patch[below + i] - grid.patch[top + i]) * fy;
  }
}

/** 255 * exp(-OD) tabulated: three exps per pixel would dominate the run time. */
function transmissionTable(): Float32Array {
  const table = new Float32Array(OD_STEPS_PER_UNIT * OD_MAX + 1);
  for (let i = 0; i < table.length; i++) table[i] = 255 * Math.exp(-(i + 0.5) / OD_STEPS_PER_UNIT);
  return table;
}

function gaussianTable(random: Random, sigma: number): Float32Array {
  const table = new Float32Array(NOISE_TABLE_SIZE);
  for (let i = 0; i < table.length; i++) table[i] = sigma * random.normal();
  return table;
}

/**
 * Beer-Lambert rendering: OD = glass + (haze + nuclei) hematoxylin and DAB concentrations along
 * their stain vectors, I = 255 exp(-OD), plus Gaussian sensor noise (sigma in 8-bit levels).
 */
export function composeIhc(
  width: number,
  height: number,
  hematoxylin: Float32Array,
  dab: Float32Array,
  background: BackgroundSettings,
  random: Random,
  noiseLevel: number,
): Raster {
  const data = new Uint8Array(width * height * 3);
  const out = new Uint8ClampedArray(data.buffer);
  const transmission = transmissionTable();
  const noise = gaussianTable(random, noiseLevel);
  const lastIndex = transmission.length - 1;
  const [hr, hg, hb] = HEMATOXYLIN_OD;
  const [dr, dg, db] = DAB_OD;
  const [glassR, glassG, glassB] = GLASS_OD;
  const { stroma, stromaTexture } = background;
  // A local alias: CommonJS builds read imports through a getter on every call.
  const sample = sampleNoise;
  const grid = backgroundGrid(width, height, background);
  const weightRow = new Float32Array(grid.columns);
  const patchRow = new Float32Array(grid.columns);
  for (let y = 0; y < height; y++) {
    interpolateRow(grid, y, weightRow, patchRow);
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      let h = hematoxylin[p];
      let d = dab[p];
      const gx = x >> GRID_SHIFT;
      const fx = (x & (GRID_STEP_PX - 1)) * INV_GRID_STEP;
      const weight = weightRow[gx] + (weightRow[gx + 1] - weightRow[gx]) * fx;
      if (weight > 0) {
        const patch = patchRow[gx] + (patchRow[gx + 1] - patchRow[gx]) * fx;
        // Mostly warm non-specific DAB-like tint with a little hematoxylin, as between real nuclei.
        const texture = stromaTexture * sample(stroma, x, y);
        const hazeH = 0.03 + 0.015 * patch + 0.03 * texture;
        const hazeD = 0.09 + 0.03 * patch + 0.02 * texture;
        h += weight * (hazeH > 0 ? hazeH : 0);
        d += weight * (hazeD > 0 ? hazeD : 0);
      }
      const r = random.nextUint32();
      const iR = ((glassR + h * hr + d * dr) * OD_STEPS_PER_UNIT) | 0;
      const iG = ((glassG + h * hg + d * dg) * OD_STEPS_PER_UNIT) | 0;
      const iB = ((glassB + h * hb + d * db) * OD_STEPS_PER_UNIT) | 0;
      const o = p * 3;
      out[o] = transmission[iR < lastIndex ? iR : lastIndex] + noise[r & 1023];
      out[o + 1] = transmission[iG < lastIndex ? iG : lastIndex] + noise[(r >>> 10) & 1023];
      out[o + 2] = transmission[iB < lastIndex ? iB : lastIndex] + noise[(r >>> 20) & 1023];
    }
  }
  return { width, height, channels: 3, data };
}

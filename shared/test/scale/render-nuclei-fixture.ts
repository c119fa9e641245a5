import { type Raster, createRaster } from '../../src/image/raster';

/** How to paint a synthetic IHC field: elliptical hematoxylin/DAB nuclei of a known size on pale glass. */
export interface NucleiFixtureOptions {
  readonly width: number;
  readonly height: number;
  /** Median equivalent diameter of the nuclei, px. */
  readonly diameterPx: number;
  /** Fraction of the area covered by nuclei (placement stops earlier when no room is left). */
  readonly coverage: number;
  /** Largest major/minor axis ratio; each nucleus draws its own in [1, maxAspect]. */
  readonly maxAspect?: number;
  /** Fraction of nuclei stained DAB brown (the rest hematoxylin blue). */
  readonly positiveFraction?: number;
  /** Relative spread of equivalent diameters (0.15 = +-15 %). */
  readonly sizeJitter?: number;
  readonly seed?: number;
}

export interface NucleiFixture {
  readonly image: Raster;
  /** Equivalent diameters of the painted nuclei, px. */
  readonly diameters: number[];
}

const GLASS: readonly [number, number, number] = [236, 232, 226];
/** Optical density per channel (R, G, B) through the thickest part of a nucleus. */
const HEMATOXYLIN_OD: readonly [number, number, number] = [0.45, 0.38, 0.15];
const DAB_OD: readonly [number, number, number] = [0.3, 0.5, 0.7];

/** Deterministic PRNG (mulberry32) so fixtures are identical on every run. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Paint nuclei that may touch but never overlap by more than a sliver. A nucleus is a stained
 * ellipsoid: its optical density follows the thickness sqrt(1 - rho^2) (Beer-Lambert), so it is
 * darkest in the middle and fades to the rim, as real nuclei do.
 */
export function renderNucleiFixture(options: NucleiFixtureOptions): NucleiFixture {
  const { width, height, diameterPx, coverage } = options;
  const random = createRandom(options.seed ?? 1);
  const maxAspect = options.maxAspect ?? 1.5;
  const jitter = options.sizeJitter ?? 0.15;
  const positiveFraction = options.positiveFraction ?? 0.3;
  const image = createRaster(width, height, 3);
  const thicknessMap = new Float32Array(width * height);
  const tint = new Float32Array(width * height);
  const centres: Array<{ x: number; y: number; r: number }> = [];
  const diameters: number[] = [];
  let covered = 0;
  for (let attempt = 0; attempt < 40_000 && covered < coverage * width * height; attempt++) {
    const d = diameterPx * (1 + jitter * (2 * random() - 1));
    const aspect = 1 + (maxAspect - 1) * random();
    const a = (d / 2) * Math.sqrt(aspect);
    const b = (d / 2) / Math.sqrt(aspect);
    const x = random() * width;
    const y = random() * height;
    if (centres.some((c) => Math.hypot(c.x - x, c.y - y) < 0.95 * (c.r + a))) continue;
    centres.push({ x, y, r: a });
    diameters.push(d);
    covered += Math.PI * a * b;
    const angle = random() * Math.PI;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const brown = random() < positiveFraction ? 1 : 0;
    const darkness = 0.75 + 0.25 * random();
    for (let py = Math.max(0, Math.floor(y - a - 1)); py <= Math.min(height - 1, Math.ceil(y + a + 1)); py++) {
      for (let px = Math.max(0, Math.floor(x - a - 1)); px <= Math.min(width - 1, Math.ceil(x + a + 1)); px++) {
        const u = ((px + 0.5 - x) * cos + (py + 0.5 - y) * sin) / a;
        const v = (-(px + 0.5 - x) * sin + (py + 0.5 - y) * cos) / b;
        const rho2 = u * u + v * v;
        if (rho2 >= 1) continue;
        const alpha = Math.sqrt(1 - rho2) * darkness;
        const p = py * width + px;
        if (alpha > thicknessMap[p]) {
          thicknessMap[p] = alpha;
          tint[p] = brown;
        }
      }
    }
  }
  for (let p = 0; p < width * height; p++) {
    const thickness = thicknessMap[p];
    const stain = tint[p] === 1 ? DAB_OD : HEMATOXYLIN_OD;
    const noise = (random() - 0.5) * 8;
    for (let c = 0; c < 3; c++) {
      const value = GLASS[c] * 10 ** (-stain[c] * thickness) + noise;
      image.data[p * 3 + c] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  return { image, diameters };
}

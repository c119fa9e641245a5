import { type Raster, SAMPLE_IMAGE_OPTIONS, generateSyntheticIhc, renderTruthMask } from '@restain/shared';

/** A small result's maps with soft Seg levels (so thresholds matter), marker and DAB, for tests. */
export interface SyntheticMaps {
  readonly seg: Raster;
  /** RGB, channels equal: how the analysis writes Marker.png. */
  readonly marker: Raster;
  readonly dab: Raster;
  readonly input: Raster;
}

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The synthetic sample's truth mask turned into a soft Seg: cell levels vary smoothly (so cells
 * shrink, split and vanish as the seg threshold rises), faint specks add noise components, and a
 * ring with a hole checks hole filling.
 */
export function syntheticMaps(width = 320, height = 240, seed = 11): SyntheticMaps {
  const truth = generateSyntheticIhc({ ...SAMPLE_IMAGE_OPTIONS, width, height, seed, cellCount: 30 });
  const mask = renderTruthMask(truth);
  const rnd = random(seed);
  const n = width * height;
  const seg = { width, height, channels: 3 as const, data: new Uint8Array(n * 3) };
  const marker = { width, height, channels: 3 as const, data: new Uint8Array(n * 3) };
  const dab = { width, height, channels: 1 as const, data: new Uint8Array(n) };
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const r = mask.data[3 * i], g = mask.data[3 * i + 1], b = mask.data[3 * i + 2];
      const level = 0.35 + 0.65 * (0.5 + 0.5 * Math.sin(x / 9 + truth.labels[i]) * Math.cos(y / 7));
      seg.data[3 * i] = Math.round(r * level);
      seg.data[3 * i + 1] = g ? 120 + Math.round(rnd() * 100) : Math.round(rnd() * 90);
      seg.data[3 * i + 2] = Math.round(b * level) + (r ? Math.round(rnd() * 40) : 0);
      const m = truth.labels[i] ? Math.min(255, (truth.labels[i] * 37) % 256 + Math.round(rnd() * 20)) : Math.round(rnd() * 30);
      marker.data.fill(m, 3 * i, 3 * i + 3);
      dab.data[i] = truth.labels[i] ? Math.round(rnd() * 90) + (r ? 40 : 0) : Math.round(rnd() * 15);
    }
  }
  // Specks (noise and small components) and a ring enclosing a hole with a speck inside.
  for (let k = 0; k < 40; k++) {
    const p = Math.floor(rnd() * n);
    seg.data[3 * p] = 200;
    seg.data[3 * p + 1] = 0;
  }
  for (let y = 10; y < 30; y++) {
    for (let x = 10; x < 30; x++) {
      const ring = y < 13 || y > 26 || x < 13 || x > 26;
      const i = y * width + x;
      seg.data.set(ring ? [0, 0, 230] : x === 20 && y === 20 ? [240, 0, 0] : [0, 0, 0], 3 * i);
    }
  }
  return { seg, marker, dab, input: truth.image };
}

import type { Raster } from '../image/raster';
import { composeIhc } from './compose-ihc';
import type { Ellipse } from './ellipse-geometry';
import { placeNuclei } from './place-nuclei';
import { createRandom, forkRandom, type Random } from './random';
import { rasterizeNuclei, type NucleusStain } from './rasterize-nuclei';
import { resolveSyntheticOptions, type SyntheticOptions } from './synthetic-options';
import { createTissueField, tissueLevel } from './tissue-field';
import { createNoiseLattice } from './value-noise';

/** One truth nucleus: centre and semi-axes in pixels (pixel i sampled at coordinate i), angle in radians. */
export interface SyntheticCell extends Ellipse {
  /** The value of this cell's pixels in `labels` (1..n). */
  readonly id: number;
  readonly positive: boolean;
  /** Shared by nuclei placed touching each other; null for isolated nuclei. */
  readonly clusterId: number | null;
  /** Pixel count of this cell in `labels`. */
  readonly area: number;
}

/** A synthetic IHC image and its exact truth. */
export interface SyntheticIhc {
  readonly image: Raster;
  /** Truth cell id per pixel, row-major, 0 = background. */
  readonly labels: Int32Array;
  /** Cells sorted by y then x; cells[i].id === i + 1. */
  readonly cells: readonly SyntheticCell[];
  readonly pixelSizeMicrons: number;
}

function chooseStain(random: Random, positive: boolean, pixelSizeMicrons: number): NucleusStain {
  // Nuclei sit at different depths: edge blur of 0.3..0.9 µm, never below one pixel (anti-aliasing).
  const edgeSoftnessPx = Math.max(1, random.between(0.3, 0.9) / pixelSizeMicrons);
  if (positive) {
    const strong = random.next() < 0.15;
    return {
      dab: strong ? random.between(2.4, 3.6) : random.between(0.8, 2.4),
      hematoxylin: random.between(0.15, 0.45),
      texture: 0.45,
      edgeSoftnessPx,
    };
  }
  const faint = random.next() < 0.1;
  return { hematoxylin: faint ? random.between(0.3, 0.5) : random.between(0.5, 1.0), dab: 0, texture: 0.2, edgeSoftnessPx };
}

/** Exactly round(fraction * n) distinct indices, chosen uniformly (partial Fisher-Yates). */
function choosePositives(random: Random, n: number, fraction: number): Uint8Array {
  const order = Array.from({ length: n }, (_, i) => i);
  const count = Math.round(fraction * n);
  const chosen = new Uint8Array(n);
  for (let i = 0; i < count; i++) {
    const j = i + random.int(n - i);
    [order[i], order[j]] = [order[j], order[i]];
    chosen[order[i]] = 1;
  }
  return chosen;
}

/**
 * Renders a brightfield H-DAB image with known nuclei (Beer-Lambert, Ruifrok vectors): positive
 * nuclei brown with some hematoxylin, negative nuclei blue, over hazy stroma and empty glass.
 * Deterministic: the same options give the same bytes.
 */
export function generateSyntheticIhc(options: SyntheticOptions): SyntheticIhc {
  const o = resolveSyntheticOptions(options);
  const root = createRandom(o.seed);
  const tissueRandom = forkRandom(root);
  const layoutRandom = forkRandom(root);
  const stainRandom = forkRandom(root);
  const textureRandom = forkRandom(root);
  const noiseRandom = forkRandom(root);
  const { width, height, pixelSizeMicrons: ps } = o;

  const tissue = createTissueField(tissueRandom, width, height, ps, o.emptyAreaFraction);
  const placed = placeNuclei(layoutRandom, o, (x, y) => tissueLevel(tissue, x, y) >= 0.75);
  placed.sort((a, b) => a.y - b.y || a.x - b.x);
  const positives = choosePositives(stainRandom, placed.length, o.positiveFraction);
  const stains = placed.map((_, i) => chooseStain(stainRandom, positives[i] === 1, ps));

  const rasterized = rasterizeNuclei(width, height, placed, stains, {
    rimWidthPx: Math.max(1, 0.6 / ps),
    rimStrength: 0.25,
    chromatinFine: createNoiseLattice(textureRandom, width, height, Math.max(1.6, 0.5 / ps)),
    chromatinCoarse: createNoiseLattice(textureRandom, width, height, Math.max(3, 1.5 / ps)),
  });
  const image = composeIhc(
    width,
    height,
    rasterized.hematoxylin,
    rasterized.dab,
    {
      tissue,
      stroma: createNoiseLattice(textureRandom, width, height, 15 / ps, Math.max(2, 1.2 / ps), textureRandom.next() * Math.PI),
      haze: createNoiseLattice(textureRandom, width, height, 20 / ps),
      hazeStrength: o.hazeStrength,
      stromaTexture: o.stromaTexture,
    },
    noiseRandom,
    o.noiseLevel,
  );

  const areas = new Int32Array(placed.length + 1);
  for (let i = 0; i < rasterized.labels.length; i++) areas[rasterized.labels[i]]++;
  const cells = placed.map((n, i) => ({
    id: i + 1,
    x: n.x,
    y: n.y,
    radiusX: n.radiusX,
    radiusY: n.radiusY,
    angle: n.angle,
    positive: positives[i] === 1,
    clusterId: n.clusterId,
    area: areas[i + 1],
  }));
  return { image, labels: rasterized.labels, cells, pixelSizeMicrons: ps };
}

import { scratch } from './scratch';
import { recomposeStain, roundClamped, roundNonNegative, type Raster, type StainVector, type StainVectors } from '@restain/shared';
import type { TileChannels } from '../engine';
import type { NucleusSegmentation } from './segment-nuclei';

const ringScratch = scratch(Uint8Array);

/** DAB OD shown as full white in Marker.png: value = round(min(1, dabOD / scale) * 255). */
export const BUILTIN_MARKER_OD_FULL_SCALE = 1.0;

/** Nuclear OD (hematoxylin + DAB) shown as full white in DAPI.png. */
export const BUILTIN_DAPI_OD_FULL_SCALE = 0.8;

/** Lap2 envelope colour at full strength (DeepLIIF's Lap2 is green with a little red and blue). */
const LAP2_RING: readonly [number, number, number] = [40, 230, 70];

/** Hematoxylin-only brightfield: Beer-Lambert re-composition of the H amounts on white. */
export function renderHema(hematoxylin: Float32Array, width: number, height: number, vector: StainVector): Raster {
  return recomposeStain({ width, height, data: hematoxylin }, vector, 255);
}

/** DAB amount as grey on black, linear up to BUILTIN_MARKER_OD_FULL_SCALE. */
export function renderMarker(dab: Float32Array, width: number, height: number): Raster {
  const out = new Uint8Array(width * height * 3);
  const k = 255 / BUILTIN_MARKER_OD_FULL_SCALE;
  for (let i = 0, o = 0; i < dab.length; i++, o += 3) out[o] = out[o + 1] = out[o + 2] = roundClamped(dab[i] * k, 255);
  return { width, height, channels: 3, data: out };
}

/** Nuclear stain (H + DAB OD) inside segmented nuclei, grey on black, like a DAPI image. */
export function renderDapi(hematoxylin: Float32Array, dab: Float32Array, seg: NucleusSegmentation): Raster {
  const { width, height, labels } = seg;
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, o = 0; i < labels.length; i++, o += 3) {
    if (!labels[i]) continue;
    const od = Math.max(0, hematoxylin[i]) + Math.max(0, dab[i]);
    // A floor keeps pale nuclei visible: DAPI stains every nucleus, however faint its H.
    const v = roundNonNegative(70 + 185 * Math.min(1, od / BUILTIN_DAPI_OD_FULL_SCALE));
    out[o] = out[o + 1] = out[o + 2] = v;
  }
  return { width, height, channels: 3, data: out };
}

/** Nuclear-envelope rings: bright at each nucleus' outer two pixels, dim inside, black outside. */
export function renderLap2(seg: NucleusSegmentation): Raster {
  const { width, height, labels } = seg;
  const edge = boundaryDistance(labels, width, height);
  // RGB per edge value (0 inside, 1 outer ring, 2 next ring), rounded once rather than per pixel.
  const colours = new Uint8Array(9);
  [0.12, 1, 0.6].forEach((strength, k) => {
    for (let c = 0; c < 3; c++) colours[k * 3 + c] = Math.round(LAP2_RING[c] * strength);
  });
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, o = 0; i < labels.length; i++, o += 3) {
    if (!labels[i]) continue;
    const k = edge[i] * 3;
    out[o] = colours[k];
    out[o + 1] = colours[k + 1];
    out[o + 2] = colours[k + 2];
  }
  return { width, height, channels: 3, data: out };
}

/**
 * Lowest Seg value of a nucleus pixel: just above DeepLIIF's default segmentation threshold (120),
 * so the default keeps every nucleus exactly as segmented and higher thresholds peel it.
 */
export const BUILTIN_SEG_FLOOR = 121;

/** Nuclear OD (H + DAB) given the top Seg value: above the darkest DAB-positive nuclei, so the grades spread. */
export const BUILTIN_SEG_OD_FULL_SCALE = 1.6;

/**
 * Seg value of a nucleus pixel, graded by its nuclear stain (H + DAB OD) as a probability map is:
 * faint pixels and faint nuclei go first as the segmentation threshold rises.
 */
function segConfidence(hematoxylin: Float32Array, dab: Float32Array, p: number): number {
  const od = Math.max(0, hematoxylin[p]) + Math.max(0, dab[p]);
  return BUILTIN_SEG_FLOOR + roundNonNegative((255 - BUILTIN_SEG_FLOOR) * Math.min(1, od / BUILTIN_SEG_OD_FULL_SCALE));
}

/**
 * DeepLIIF-style Seg: nucleus interiors red (positive) or blue (negative), graded from
 * BUILTIN_SEG_FLOOR to 255 by nuclear stain; green where a nucleus meets another (its pixels next
 * to a higher label, so 8-connected extraction splits them exactly as segmented) and on the
 * background ring around each nucleus, black elsewhere.
 */
export function renderSeg(seg: NucleusSegmentation, hematoxylin: Float32Array, dab: Float32Array): Raster {
  const { width, height, labels, positive } = seg;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const inner = y > 0 && y < height - 1;
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const l = labels[p];
      if (inner && x > 0 && x < width - 1) {
        // Interior fast path: the same 3x3 test with the eight neighbours read directly.
        const u = p - width;
        const d = p + width;
        const a0 = labels[u - 1], a1 = labels[u], a2 = labels[u + 1], a3 = labels[p - 1];
        const a4 = labels[p + 1], a5 = labels[d - 1], a6 = labels[d], a7 = labels[d + 1];
        const o = p * 3;
        if (l === 0) {
          if (a0 | a1 | a2 | a3 | a4 | a5 | a6 | a7) out[o + 1] = 255;
        } else if (a0 > l || a1 > l || a2 > l || a3 > l || a4 > l || a5 > l || a6 > l || a7 > l) {
          out[o + 1] = 255;
        } else {
          out[positive[l] ? o : o + 2] = segConfidence(hematoxylin, dab, p);
        }
        continue;
      }
      let touchesHigher = false;
      let touchesCell = false;
      const top = y > 0 ? p - width : p;
      const bottom = y < height - 1 ? p + width : p;
      const left = x > 0 ? -1 : 0;
      const right = x < width - 1 ? 1 : 0;
      // The 3x3 window clipped to the image (a clipped side repeats the centre, which changes nothing).
      for (let r = top; r <= bottom; r += width) {
        for (let q = r + left, end = r + right; q <= end; q++) {
          const m = labels[q];
          if (m > l) touchesHigher = true;
          if (m) touchesCell = true;
        }
      }
      const o = p * 3;
      if (l === 0) {
        if (touchesCell) out[o + 1] = 255;
      } else if (touchesHigher) {
        out[o + 1] = 255;
      } else {
        out[positive[l] ? o : o + 2] = segConfidence(hematoxylin, dab, p);
      }
    }
  }
  return { width, height, channels: 3, data: out };
}

/** 1 for nucleus pixels with a 4-neighbour outside their nucleus, 2 for the next layer, else 0. */
function boundaryDistance(labels: Int32Array, width: number, height: number): Uint8Array {
  const ring = ringScratch(labels.length).fill(0);
  const differs = (p: number, x: number, y: number): boolean =>
    x === 0 || y === 0 || x === width - 1 || y === height - 1 ||
    labels[p - 1] !== labels[p] || labels[p + 1] !== labels[p] || labels[p - width] !== labels[p] || labels[p + width] !== labels[p];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (labels[p] && differs(p, x, y)) ring[p] = 1;
    }
  }
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const p = y * width + x;
      if (labels[p] && !ring[p] && (ring[p - 1] === 1 || ring[p + 1] === 1 || ring[p - width] === 1 || ring[p + width] === 1)) ring[p] = 2;
    }
  }
  return ring;
}

/** Every DeepLIIF channel of a tile from its deconvolved stains and its nuclei. */
export function renderChannels(hematoxylin: Float32Array, dab: Float32Array, seg: NucleusSegmentation, stains: StainVectors): TileChannels {
  const { width, height } = seg;
  return {
    Hema: renderHema(hematoxylin, width, height, stains.hematoxylin),
    DAPI: renderDapi(hematoxylin, dab, seg),
    Lap2: renderLap2(seg),
    Marker: renderMarker(dab, width, height),
    Seg: renderSeg(seg, hematoxylin, dab),
  };
}

import { boundingHalfExtents, type Ellipse } from './ellipse-geometry';
import { sampleNoise, type NoiseLattice } from './value-noise';

/** Stain amounts of one nucleus (stain concentrations in OD units along each stain vector). */
export interface NucleusStain {
  readonly hematoxylin: number;
  readonly dab: number;
  /** Relative amplitude of the chromatin texture (0 = flat). */
  readonly texture: number;
  /** Width of the anti-aliased edge ramp in pixels (coverage 1 -> 0); wider = more out of focus. */
  readonly edgeSoftnessPx: number;
}

/** How the nuclei are drawn; lengths in pixels. */
export interface NucleusRenderSettings {
  /** Width of the darker hematoxylin rim just inside the nuclear membrane. */
  readonly rimWidthPx: number;
  /** Extra hematoxylin at the membrane, relative to the interior. */
  readonly rimStrength: number;
  readonly chromatinFine: NoiseLattice;
  readonly chromatinCoarse: NoiseLattice;
}

/** Per-pixel truth ids (nucleus index + 1) and stain concentration planes. */
export interface RasterizedNuclei {
  readonly labels: Int32Array;
  readonly hematoxylin: Float32Array;
  readonly dab: Float32Array;
}

/**
 * Draws nuclei: a pixel belongs to a nucleus when its centre is inside the ellipse (where two
 * overlap, to the nearer centre); stain fades over edgeSoftnessPx across the boundary and adds up
 * where nuclei overlap (Beer-Lambert through both layers).
 */
export function rasterizeNuclei(
  width: number,
  height: number,
  nuclei: readonly Ellipse[],
  stains: readonly NucleusStain[],
  settings: NucleusRenderSettings,
): RasterizedNuclei {
  const labels = new Int32Array(width * height);
  const hematoxylin = new Float32Array(width * height);
  const dab = new Float32Array(width * height);
  const { rimWidthPx, rimStrength, chromatinFine, chromatinCoarse } = settings;
  // A local alias: CommonJS builds read imports through a getter on every call.
  const sample = sampleNoise;
  for (let n = 0; n < nuclei.length; n++) {
    const e = nuclei[n];
    const stain = stains[n];
    const id = n + 1;
    const soft = stain.edgeSoftnessPx;
    const reach = soft + 1;
    const cos = Math.cos(e.angle);
    const sin = Math.sin(e.angle);
    const invRx = 1 / e.radiusX;
    const invRy = 1 / e.radiusY;
    const { halfWidth, halfHeight } = boundingHalfExtents(e);
    const x0 = Math.max(0, Math.floor(e.x - halfWidth - reach));
    const x1 = Math.min(width - 1, Math.ceil(e.x + halfWidth + reach));
    const y0 = Math.max(0, Math.floor(e.y - halfHeight - reach));
    const y1 = Math.min(height - 1, Math.ceil(e.y + halfHeight + reach));
    for (let py = y0; py <= y1; py++) {
      const dy = py - e.y;
      for (let px = x0; px <= x1; px++) {
        const dx = px - e.x;
        const u = (dx * cos + dy * sin) * invRx;
        const v = (dy * cos - dx * sin) * invRy;
        const q = u * u + v * v;
        // Signed distance to the boundary, first order: (q - 1) / |grad q|.
        const gu = u * invRx;
        const gv = v * invRy;
        const gradient = 2 * Math.sqrt(gu * gu + gv * gv);
        const distance = gradient > 1e-9 ? (q - 1) / gradient : -1e9;
        let coverage = 0.5 - distance / soft;
        if (coverage <= 0) continue;
        if (coverage > 1) coverage = 1;
        const p = py * width + px;
        const fine = sample(chromatinFine, px, py);
        const coarse = sample(chromatinCoarse, px, py);
        const inside = -distance;
        const rim = inside < rimWidthPx ? rimStrength * (1 - (inside > 0 ? inside : 0) / rimWidthPx) : 0;
        const hemaFactor = 1 + stain.texture * (0.6 * fine + 0.4 * coarse) + rim;
        // DAB deposits in clumps: the coarse grain dominates.
        const dabFactor = 1 + stain.texture * (0.5 * fine - 1.2 * coarse);
        hematoxylin[p] += coverage * stain.hematoxylin * (hemaFactor > 0 ? hemaFactor : 0);
        dab[p] += coverage * stain.dab * (dabFactor > 0 ? dabFactor : 0);
        if (q <= 1) {
          const owner = labels[p];
          if (owner === 0) {
            labels[p] = id;
          } else {
            const other = nuclei[owner - 1];
            const ox = px - other.x;
            const oy = py - other.y;
            if (dx * dx + dy * dy < ox * ox + oy * oy) labels[p] = id;
          }
        }
      }
    }
  }
  return { labels, hematoxylin, dab };
}

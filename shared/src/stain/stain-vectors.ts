import { RestainError } from '../errors';

/** An RGB optical-density direction of one stain (unit length, all components >= 0 for real stains). */
export type StainVector = readonly [number, number, number];

/** The stains of a Ki67-style brightfield slide: hematoxylin counterstain and DAB chromogen. */
export interface StainVectors {
  readonly hematoxylin: StainVector;
  readonly dab: StainVector;
}

/**
 * Ruifrok & Johnston (2001) H-DAB vectors, as in ImageJ's Colour Deconvolution and
 * scikit-image's `hdx_from_rgb`, normalised to unit length.
 */
export const DEFAULT_HDAB_VECTORS: StainVectors = Object.freeze({
  hematoxylin: normaliseStainVector([0.65, 0.704, 0.286]),
  dab: normaliseStainVector([0.268, 0.57, 0.776]),
});

/** Unit-length copy of an OD direction; rejects zero, negative-only or non-finite vectors. */
export function normaliseStainVector(vector: readonly number[]): StainVector {
  if (vector.length !== 3 || !vector.every(Number.isFinite)) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a stain vector of 3 finite numbers but received [${vector.join(', ')}]`);
  }
  const length = Math.hypot(vector[0], vector[1], vector[2]);
  if (length < 1e-9 || vector[0] + vector[1] + vector[2] <= 0) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a stain vector with positive optical density but received [${vector.join(', ')}]`);
  }
  return [vector[0] / length, vector[1] / length, vector[2] / length];
}

/** Angle between two OD directions, in degrees. */
export function stainAngleDegrees(a: StainVector, b: StainVector): number {
  const dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const length = Math.hypot(a[0], a[1], a[2]) * Math.hypot(b[0], b[1], b[2]);
  return (Math.acos(Math.max(-1, Math.min(1, dot / length))) * 180) / Math.PI;
}

/**
 * The 3x3 stain matrix (rows: hematoxylin, DAB, residual), residual = H x DAB normalised,
 * as Ruifrok & Johnston complete a two-stain system; row-major Float64Array(9).
 */
export function stainMatrix(stains: StainVectors): Float64Array {
  const h = normaliseStainVector(stains.hematoxylin);
  const d = normaliseStainVector(stains.dab);
  let r0 = h[1] * d[2] - h[2] * d[1];
  let r1 = h[2] * d[0] - h[0] * d[2];
  let r2 = h[0] * d[1] - h[1] * d[0];
  const length = Math.hypot(r0, r1, r2);
  if (length < 1e-6) {
    throw new RestainError('INVALID_ARGUMENT', `Expected two distinct stain vectors but received parallel ones [${h.join(', ')}] and [${d.join(', ')}]`);
  }
  // The residual's sign is arbitrary; keep its OD sum non-negative so it reads like a stain.
  const sign = r0 + r1 + r2 < 0 ? -1 : 1;
  r0 = (sign * r0) / length;
  r1 = (sign * r1) / length;
  r2 = (sign * r2) / length;
  return Float64Array.from([h[0], h[1], h[2], d[0], d[1], d[2], r0, r1, r2]);
}

/** Inverse of a row-major 3x3 matrix; throws when it is singular. */
export function invert3x3(m: Float64Array): Float64Array {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) {
    throw new RestainError('INVALID_ARGUMENT', `Expected an invertible stain matrix but its determinant is ${det}`);
  }
  const k = 1 / det;
  return Float64Array.from([
    A * k, -(b * i - c * h) * k, (b * f - c * e) * k,
    B * k, (a * i - c * g) * k, -(a * f - c * d) * k,
    C * k, -(a * h - b * g) * k, (a * e - b * d) * k,
  ]);
}

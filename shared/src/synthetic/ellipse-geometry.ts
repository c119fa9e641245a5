/** A rotated ellipse in pixel coordinates (pixel (i, j) is sampled at x = i, y = j); angle in radians. */
export interface Ellipse {
  readonly x: number;
  readonly y: number;
  readonly radiusX: number;
  readonly radiusY: number;
  readonly angle: number;
}

const BOUNDARY_SAMPLES = 32;

/** Distance from the centre to the boundary along direction theta (radians). */
export function radialExtent(ellipse: Ellipse, theta: number): number {
  const t = theta - ellipse.angle;
  const c = ellipse.radiusY * Math.cos(t);
  const s = ellipse.radiusX * Math.sin(t);
  return (ellipse.radiusX * ellipse.radiusY) / Math.sqrt(c * c + s * s);
}

/** Half extents of the axis-aligned bounding box. */
export function boundingHalfExtents(ellipse: Ellipse): { halfWidth: number; halfHeight: number } {
  const c = Math.cos(ellipse.angle);
  const s = Math.sin(ellipse.angle);
  return {
    halfWidth: Math.hypot(ellipse.radiusX * c, ellipse.radiusY * s),
    halfHeight: Math.hypot(ellipse.radiusX * s, ellipse.radiusY * c),
  };
}

function anyBoundaryPointInside(outer: Ellipse, inner: Ellipse, grow: number): boolean {
  const cosO = Math.cos(outer.angle);
  const sinO = Math.sin(outer.angle);
  const cosI = Math.cos(inner.angle);
  const sinI = Math.sin(inner.angle);
  const rx = outer.radiusX + grow;
  const ry = outer.radiusY + grow;
  for (let k = 0; k < BOUNDARY_SAMPLES; k++) {
    const t = (2 * Math.PI * k) / BOUNDARY_SAMPLES;
    const lx = rx * Math.cos(t);
    const ly = ry * Math.sin(t);
    const dx = outer.x + lx * cosO - ly * sinO - inner.x;
    const dy = outer.y + lx * sinO + ly * cosO - inner.y;
    const u = (dx * cosI + dy * sinI) / inner.radiusX;
    const v = (dy * cosI - dx * sinI) / inner.radiusY;
    if (u * u + v * v < 1) return true;
  }
  return false;
}

/**
 * True when the two ellipses stay at least gapPx apart (approximately: boundaries are sampled).
 * A negative gap allows that much interpenetration.
 */
export function ellipsesSeparated(a: Ellipse, b: Ellipse, gapPx: number): boolean {
  const d = Math.hypot(b.x - a.x, b.y - a.y);
  const maxA = Math.max(a.radiusX, a.radiusY);
  const maxB = Math.max(b.radiusX, b.radiusY);
  if (d >= maxA + maxB + gapPx) return true;
  const minA = Math.min(a.radiusX, a.radiusY);
  const minB = Math.min(b.radiusX, b.radiusY);
  if (d < minA + minB + gapPx) return false;
  return !anyBoundaryPointInside(a, b, gapPx) && !anyBoundaryPointInside(b, a, gapPx);
}

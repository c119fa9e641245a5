import { boundingHalfExtents, ellipsesSeparated, radialExtent } from '../../src/synthetic/ellipse-geometry';

describe('ellipse geometry', () => {
  const wide = { x: 0, y: 0, radiusX: 10, radiusY: 5, angle: 0 };

  it('measures the centre-to-boundary distance along a direction', () => {
    expect(radialExtent(wide, 0)).toBeCloseTo(10);
    expect(radialExtent(wide, Math.PI / 2)).toBeCloseTo(5);
    expect(radialExtent({ ...wide, angle: Math.PI / 2 }, 0)).toBeCloseTo(5);
  });

  it('bounds a rotated ellipse', () => {
    expect(boundingHalfExtents(wide).halfWidth).toBeCloseTo(10);
    const turned = boundingHalfExtents({ ...wide, angle: Math.PI / 2 });
    expect(turned.halfWidth).toBeCloseTo(5);
    expect(turned.halfHeight).toBeCloseTo(10);
  });

  it('tells separated, touching and crossing ellipses apart', () => {
    expect(ellipsesSeparated(wide, { ...wide, x: 23 }, 2)).toBe(true);
    expect(ellipsesSeparated(wide, { ...wide, x: 21 }, 2)).toBe(false);
    // Overlap of 1 px is allowed when up to 2 px of interpenetration is.
    expect(ellipsesSeparated(wide, { ...wide, x: 19 }, -2)).toBe(true);
    // A cross: no centre-line test can see this, the boundary samples do.
    const cross = { x: 0, y: 0, radiusX: 3, radiusY: 12, angle: 0 };
    expect(ellipsesSeparated({ x: 0, y: 0, radiusX: 12, radiusY: 3, angle: 0 }, cross, 0)).toBe(false);
    // Diagonal neighbours about 0.8 px apart at their closest.
    expect(ellipsesSeparated(wide, { ...wide, x: 8, y: 10 }, 0)).toBe(true);
    expect(ellipsesSeparated(wide, { ...wide, x: 8, y: 10 }, 2)).toBe(false);
    expect(ellipsesSeparated(wide, { ...wide, x: 8, y: 9 }, 0)).toBe(false);
  });
});

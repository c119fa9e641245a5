/**
 * Ruifrok & Johnston (2001) H-DAB optical-density directions (R, G, B), unit length. Kept local to
 * the generator on purpose: the test fixture must not share code with the deconvolution it tests.
 */
function unit(r: number, g: number, b: number): readonly [number, number, number] {
  const length = Math.hypot(r, g, b);
  return [r / length, g / length, b / length];
}

export const HEMATOXYLIN_OD = unit(0.65, 0.704, 0.286);
export const DAB_OD = unit(0.268, 0.57, 0.776);

/** OD of empty glass and mounting medium: slightly warm off-white, as on real scans (~240, 238, 233). */
export const GLASS_OD: readonly [number, number, number] = [0.06, 0.068, 0.085];

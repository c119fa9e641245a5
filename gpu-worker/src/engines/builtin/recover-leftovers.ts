import { scratch } from './scratch';
import { openMask } from './binary-opening';
import { appendComponents, fillHoles } from './regions';

const leftScratch = scratch(Uint8Array);

/**
 * Foreground the nuclei left unclaimed becomes nuclei of its own: where a pale nucleus shares a
 * watershed region with a dark one, trimming that region to its peak OD discards the pale nucleus
 * whole. Leftover foreground is opened with a disc of `openingRadius` px (the thin halos around
 * dark nuclei vanish, nucleus-wide bodies stay), its holes filled, and each piece of at least
 * `minArea` px is appended as a new label. Returns the new label count.
 */
export function recoverLeftovers(
  labels: Int32Array,
  count: number,
  mask: Uint8Array,
  width: number,
  height: number,
  openingRadius: number,
  maxHoleArea: number,
  minArea: number,
): number {
  const n = width * height;
  let left: Uint8Array = leftScratch(n);
  for (let i = 0; i < n; i++) left[i] = mask[i] && !labels[i] ? 1 : 0;
  left = openMask(left, width, height, openingRadius);
  fillHoles(left, width, height, maxHoleArea);
  return appendComponents(left, width, height, minArea, labels, count);
}

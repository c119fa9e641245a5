import { scratch } from './scratch';
import { openMask } from './foreground-mask';
import { fillHoles, labelAreas, labelComponents } from './regions';

const leftScratch = scratch(Uint8Array);
const piecesScratch = scratch(Int32Array);

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
  const pieces = labelComponents(left, width, height, 8, piecesScratch(n));
  const area = labelAreas(pieces.labels, pieces.count);
  const id = new Int32Array(pieces.count + 1);
  let next = count;
  for (let l = 1; l <= pieces.count; l++) if (area[l] >= minArea) id[l] = ++next;
  for (let i = 0; i < n; i++) {
    const l = pieces.labels[i];
    if (l && id[l] && !labels[i]) labels[i] = id[l];
  }
  return next;
}

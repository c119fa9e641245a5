import { scratch } from './scratch';
import { distanceToBackground } from './distance-transform';
import { watershedFromSeeds } from './watershed';

const outsideScratch = scratch(Uint8Array);
const maskScratch = scratch(Uint8Array);
const distanceScratch = scratch(Float32Array);

/**
 * Grow every nucleus by up to `radius` px into unlabelled pixels, nearest nucleus first (flooding
 * from the labels, so touching nuclei share the gap fairly). The stain threshold stops a little
 * inside the visible nuclear edge, where the OD is already falling; annotators (and DeepLIIF's
 * masks) outline the edge itself, so without this nuclei are systematically 1-2 px too small.
 */
export function growNuclei(labels: Int32Array, width: number, height: number, radius: number, stained?: Uint8Array): void {
  if (!(radius > 0)) return;
  const n = width * height;
  const outside = outsideScratch(n);
  for (let i = 0; i < n; i++) outside[i] = labels[i] ? 0 : 1;
  const distance = distanceToBackground(outside, width, height, false, distanceScratch(n));
  const mask = maskScratch(n);
  for (let i = 0; i < n; i++) mask[i] = labels[i] || (distance[i] <= radius && (!stained || stained[i])) ? 1 : 0;
  watershedFromSeeds(distance, labels, mask, width, height, Math.max(2, Math.ceil(radius) + 1));
}

import { scratch } from './scratch';
import { openMask } from './binary-opening';
import { greyOpening } from './grey-morphology';
import type { PixelSegmentationParameters } from './nucleus-parameters';
import { addPaleNuclei } from './pale-nuclei';
import { fillHoles, removeSmallComponents } from './regions';

const blueScratch = scratch(Uint8Array);
const hematoxylinExtraScratch = scratch(Uint8Array);
const hematoxylinScratch = scratch(Float32Array);
const hematoxylinLocalScratch = scratch(Float32Array);

/**
 * Nucleus foreground: smoothed nuclear OD above the image threshold and above its local
 * background (grey opening) by `contrast`, plus blue nuclei that only their hematoxylin shows;
 * DAB-stained and unstained pixels are cut apart where they meet so a positive nucleus never
 * fuses with a negative neighbour; then opening, hole filling and removal of debris.
 */
export function foregroundMask(smooth: Float32Array, dabSmooth: Float32Array, local: Float32Array, width: number, height: number, p: PixelSegmentationParameters): Uint8Array {
  const n = width * height;
  let mask: Uint8Array = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = smooth[i] > p.threshold && smooth[i] - local[i] > p.contrast ? 1 : 0;
  if (p.openingRadius > 0) mask = openMask(mask, width, height, p.openingRadius);
  if (p.hematoxylinContrast > 0) addHematoxylinNuclei(mask, smooth, dabSmooth, width, height, p);
  if (p.paleContrast > 0 && p.paleContrast < p.contrast) addPaleNuclei(mask, smooth, local, width, height, p.threshold, p.paleContrast, p.paleMinArea);
  fillHoles(mask, width, height, p.maxHoleArea);
  // After hole filling, which would close the cut lines again.
  cutStainBoundaries(mask, smooth, dabSmooth, width, height, p.dabPixelOd, p.threshold + p.contrast);
  removeSmallComponents(mask, width, height, p.minArea);
  return mask;
}

/**
 * Add the blue nuclei only hematoxylin shows: pixels outside the mask whose hematoxylin exceeds
 * its local background by `hematoxylinContrast`, opened (leftover radius) so rims around nuclei
 * already found fall away, in pieces of at least `paleMinArea` px. Existing nuclei keep their
 * outlines; only new objects are added.
 */
function addHematoxylinNuclei(mask: Uint8Array, smooth: Float32Array, dabSmooth: Float32Array, width: number, height: number, p: PixelSegmentationParameters): void {
  const n = width * height;
  const hematoxylin = smoothedHematoxylin(smooth, dabSmooth, n);
  const local = localBackground(hematoxylin, width, height, p.backgroundWindow, hematoxylinLocalScratch(n));
  let extra: Uint8Array = hematoxylinExtraScratch(n);
  // The top-hat rounded to float32, as a stored plane of it would hold it.
  for (let i = 0; i < n; i++) {
    extra[i] = !mask[i] && smooth[i] > p.threshold && Math.fround(hematoxylin[i] - local[i]) > p.hematoxylinContrast ? 1 : 0;
  }
  extra = openMask(extra, width, height, p.leftoverOpeningRadius);
  removeSmallComponents(extra, width, height, p.paleMinArea);
  for (let i = 0; i < n; i++) if (extra[i]) mask[i] = 1;
}

/**
 * Smoothed hematoxylin OD: blurring is linear, so it is the smoothed nuclear OD less the smoothed
 * DAB (no third blur).
 */
function smoothedHematoxylin(smooth: Float32Array, dabSmooth: Float32Array, n: number): Float32Array {
  const h = hematoxylinScratch(n);
  for (let i = 0; i < n; i++) h[i] = smooth[i] - dabSmooth[i];
  return h;
}

/** Local non-nuclear OD: grey opening of the nuclear OD with a square of backgroundWindow px (into `out` when given). */
export function localBackground(smooth: Float32Array, width: number, height: number, window: number, out: Float32Array = new Float32Array(width * height)): Float32Array {
  return window > 1 ? greyOpening(smooth, width, height, window, out) : out.fill(0);
}

/**
 * A DAB-stained pixel 4-adjacent to a hematoxylin-stained foreground pixel (unstained by DAB, H
 * at least `minHematoxylin`) leaves the mask. The H condition spares the faint rim of a positive
 * nucleus, which is unstained only because it is faint.
 */
function cutStainBoundaries(mask: Uint8Array, smooth: Float32Array, dabSmooth: Float32Array, width: number, height: number, dabPixelOd: number, minHematoxylin: number): void {
  const n = width * height;
  const blue = blueScratch(n);
  for (let i = 0; i < n; i++) blue[i] = mask[i] && dabSmooth[i] < dabPixelOd && smooth[i] - dabSmooth[i] >= minHematoxylin ? 1 : 0;
  // Cutting in place is safe: the test reads only the pixel's own mask and its neighbours' blue.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i] || dabSmooth[i] < dabPixelOd) continue;
      if ((x > 0 && blue[i - 1]) || (x < width - 1 && blue[i + 1]) || (y > 0 && blue[i - width]) || (y < height - 1 && blue[i + width])) mask[i] = 0;
    }
  }
}

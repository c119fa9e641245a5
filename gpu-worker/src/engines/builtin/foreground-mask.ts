import { scratch } from './scratch';
import { distanceToBackground } from './distance-transform';
import { greyOpening } from './grey-morphology';
import type { PixelSegmentationParameters } from './nucleus-parameters';
import { addPaleNuclei } from './pale-nuclei';
import { fillHoles, labelAreas, labelComponents } from './regions';

const notErodedScratch = scratch(Uint8Array);
const blueScratch = scratch(Uint8Array);
const cutScratch = scratch(Uint8Array);
const erodedScratch = scratch(Uint8Array);
const insideScratch = scratch(Float32Array);
const toErodedScratch = scratch(Float32Array);
const componentScratch = scratch(Int32Array);
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
  const topHat = hematoxylinTopHat(smooth, dabSmooth, width, height, p.backgroundWindow);
  let extra: Uint8Array = hematoxylinExtraScratch(n);
  for (let i = 0; i < n; i++) extra[i] = !mask[i] && smooth[i] > p.threshold && topHat[i] > p.hematoxylinContrast ? 1 : 0;
  extra = openMask(extra, width, height, p.leftoverOpeningRadius);
  removeSmallComponents(extra, width, height, p.paleMinArea);
  for (let i = 0; i < n; i++) if (extra[i]) mask[i] = 1;
}

/**
 * Smoothed hematoxylin OD minus its local background (grey opening). Blurring is linear, so the
 * smoothed hematoxylin is the smoothed nuclear OD less the smoothed DAB: no third blur.
 */
function hematoxylinTopHat(smooth: Float32Array, dabSmooth: Float32Array, width: number, height: number, window: number): Float32Array {
  const n = width * height;
  const h = hematoxylinScratch(n);
  for (let i = 0; i < n; i++) h[i] = smooth[i] - dabSmooth[i];
  const local = localBackground(h, width, height, window, hematoxylinLocalScratch(n));
  for (let i = 0; i < n; i++) local[i] = h[i] - local[i];
  return local;
}

/** Local non-nuclear OD: grey opening of the nuclear OD with a square of backgroundWindow px (into `out` when given). */
export function localBackground(smooth: Float32Array, width: number, height: number, window: number, out: Float32Array = new Float32Array(width * height)): Float32Array {
  return window > 1 ? greyOpening(smooth, width, height, window, out) : out.fill(0);
}

/** Binary opening with a disc of the given radius, exact via two distance transforms. */
export function openMask(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius < 1) return mask;
  if (radius < Math.SQRT2) return openWithCross(mask, width, height);
  const inside = distanceToBackground(mask, width, height, false, insideScratch(mask.length));
  const notEroded = notErodedScratch(mask.length);
  for (let i = 0; i < mask.length; i++) notEroded[i] = inside[i] > radius ? 0 : 1;
  const toEroded = distanceToBackground(notEroded, width, height, false, toErodedScratch(mask.length));
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] && toEroded[i] <= radius ? 1 : 0;
  return out;
}

export function removeSmallComponents(mask: Uint8Array, width: number, height: number, minArea: number): void {
  const { labels, count } = labelComponents(mask, width, height, 8, componentScratch(mask.length));
  const area = labelAreas(labels, count);
  for (let i = 0; i < mask.length; i++) if (labels[i] && area[labels[i]] < minArea) mask[i] = 0;
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
  const cut = cutScratch(n).fill(0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i] || dabSmooth[i] < dabPixelOd) continue;
      if ((x > 0 && blue[i - 1]) || (x < width - 1 && blue[i + 1]) || (y > 0 && blue[i - width]) || (y < height - 1 && blue[i + width])) cut[i] = 1;
    }
  }
  for (let i = 0; i < n; i++) if (cut[i]) mask[i] = 0;
}

/** Opening with the radius-1 disc (the pixel and its 4 neighbours), in two direct passes. */
function openWithCross(mask: Uint8Array, width: number, height: number): Uint8Array {
  const eroded = erodedScratch(mask.length);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      eroded[i] = mask[i] & mask[i - 1] & mask[i + 1] & mask[i - width] & mask[i + width];
    }
  }
  // The image edge does not erode (as with the distance-based opening): copy edge pixels through.
  for (let x = 0; x < width; x++) {
    eroded[x] = mask[x];
    eroded[(height - 1) * width + x] = mask[(height - 1) * width + x];
  }
  for (let y = 0; y < height; y++) {
    eroded[y * width] = mask[y * width];
    eroded[y * width + width - 1] = mask[y * width + width - 1];
  }
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (!mask[i]) continue;
      out[i] = eroded[i] | (x > 0 ? eroded[i - 1] : 0) | (x < width - 1 ? eroded[i + 1] : 0) |
        (y > 0 ? eroded[i - width] : 0) | (y < height - 1 ? eroded[i + width] : 0);
    }
  }
  return out;
}

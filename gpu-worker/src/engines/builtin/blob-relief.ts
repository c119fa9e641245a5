import { scratch } from './scratch';
import { gaussianBlur } from './gaussian-blur';

const cappedScratch = scratch(Float32Array);
const blurredScratch = scratch(Float32Array);

/**
 * Add `weight` x the scale-normalised Laplacian-of-Gaussian blob response (-sigma² ∇²G * OD, OD
 * capped at `cap`) at nucleus scale to the seeding relief inside the mask. Two touching nuclei of
 * unequal darkness leave neither a neck in the distance map nor an intensity valley between them,
 * but each is still a blob of its own at its own scale, so each keeps a relief maximum.
 */
export function addBlobRelief(relief: Float32Array, smooth: Float32Array, mask: Uint8Array, width: number, height: number, sigma: number, weight: number, cap: number): void {
  const n = width * height;
  const capped = cappedScratch(n);
  for (let i = 0; i < n; i++) capped[i] = smooth[i] < cap ? smooth[i] : cap;
  const blurred = gaussianBlur(capped, width, height, sigma, blurredScratch(n));
  const scale = weight * sigma * sigma;
  for (let y = 0; y < height; y++) {
    const up = y > 0 ? -width : 0;
    const down = y < height - 1 ? width : 0;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (!mask[i]) continue;
      const left = x > 0 ? -1 : 0;
      const right = x < width - 1 ? 1 : 0;
      const laplacian = blurred[i + left] + blurred[i + right] + blurred[i + up] + blurred[i + down] - 4 * blurred[i];
      relief[i] -= scale * laplacian;
    }
  }
}

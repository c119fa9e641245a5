import { scratch } from './scratch';
import { labelAreas, labelComponents } from './regions';

const lowScratch = scratch(Uint8Array);
const labelScratch = scratch(Int32Array);

/**
 * Add pale nuclei to a foreground mask in place: components of a lower-contrast mask (OD above the
 * image threshold and `paleContrast` above its local background) that touch no foreground pixel
 * and cover at least `minArea` px. The palest vesicular nuclei barely rise over cytoplasm, so one
 * threshold either loses them or fuses darker neighbours through their halos; a second, lower
 * threshold only for isolated, nucleus-sized objects (hysteresis in reverse) keeps both.
 */
export function addPaleNuclei(
  mask: Uint8Array,
  smooth: Float32Array,
  local: Float32Array,
  width: number,
  height: number,
  threshold: number,
  paleContrast: number,
  minArea: number,
): void {
  const n = width * height;
  const low = lowScratch(n);
  for (let i = 0; i < n; i++) low[i] = smooth[i] > threshold && smooth[i] - local[i] > paleContrast ? 1 : 0;
  const { labels, count } = labelComponents(low, width, height, 8, labelScratch(n));
  const area = labelAreas(labels, count);
  const touches = new Uint8Array(count + 1);
  for (let i = 0; i < n; i++) if (labels[i] && mask[i]) touches[labels[i]] = 1;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l && !touches[l] && area[l] >= minArea) mask[i] = 1;
  }
}

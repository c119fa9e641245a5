import { scratch } from './scratch';
import { distanceToBackground } from './distance-transform';
import type { PixelSegmentationParameters } from './nucleus-parameters';

const interiorScratch = scratch(Uint8Array);
const depthScratch = scratch(Float32Array);

/** Per-nucleus class and stain means of a labelled tile (index = label; index 0 unused). */
export interface NucleusClasses {
  /** 1 = positive. */
  readonly positive: Uint8Array;
  /** Mean DAB OD over the whole nucleus. */
  readonly meanDab: Float32Array;
  /** Mean hematoxylin OD over the whole nucleus. */
  readonly meanHematoxylin: Float32Array;
  /** Mean DAB OD over the nucleus' core (the whole nucleus when its core is too small): what the class reads. */
  readonly coreDab: Float32Array;
}

/** A core thinner than this many pixels says nothing beyond the whole nucleus' mean. */
const MIN_CORE_PIXELS = 12;

/**
 * Classify each nucleus by the mean DAB OD of its core: the pixels at least `p.classifyCoreDepth`
 * px (Euclidean) from its outline pixels (those next to background or another nucleus). Ki67 stains the
 * nucleus itself; a nucleus' rim mixes in brown cytoplasm, membrane and neighbours' halos, which
 * lift the mean DAB of negative nuclei towards weakly stained positives. Positive when the core's
 * DAB reaches `positiveDab` and DAB's share of the whole nucleus' stain reaches `positiveDabShare`.
 */
export function classifyNuclei(
  labels: Int32Array,
  count: number,
  width: number,
  height: number,
  hematoxylin: Float32Array,
  dab: Float32Array,
  p: PixelSegmentationParameters,
): NucleusClasses {
  const n = width * height;
  const { meanDab, meanHematoxylin } = stainMeans(labels, count, hematoxylin, dab);
  const coreArea = new Float64Array(count + 1);
  const coreSum = new Float64Array(count + 1);
  if (p.classifyCoreDepth > 0) {
    const depth = distanceToBackground(interiorMask(labels, width, height), width, height, false, depthScratch(n));
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (!l || depth[i] < p.classifyCoreDepth) continue;
      coreArea[l]++;
      coreSum[l] += dab[i];
    }
  }
  const positive = new Uint8Array(count + 1);
  const coreDab = new Float32Array(count + 1);
  for (let l = 1; l <= count; l++) {
    coreDab[l] = coreArea[l] >= MIN_CORE_PIXELS ? coreSum[l] / coreArea[l] : meanDab[l];
    // Both an absolute DAB level and DAB's share of the nuclear stain: a hematoxylin-rich nucleus
    // with a brown tinge (halo, background chromogen) stays negative.
    const share = meanDab[l] / Math.max(1e-6, Math.max(0, meanHematoxylin[l]) + meanDab[l]);
    positive[l] = coreDab[l] >= p.positiveDab && share >= p.positiveDabShare ? 1 : 0;
  }
  return { positive, meanDab, meanHematoxylin, coreDab };
}

/** Mean DAB and hematoxylin OD of each label 1..count (index = label; index 0 unused). */
export function stainMeans(
  labels: Int32Array,
  count: number,
  hematoxylin: Float32Array,
  dab: Float32Array,
): { readonly meanDab: Float32Array; readonly meanHematoxylin: Float32Array } {
  const area = new Float64Array(count + 1);
  const sumD = new Float64Array(count + 1);
  const sumH = new Float64Array(count + 1);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!l) continue;
    area[l]++;
    sumD[l] += dab[i];
    sumH[l] += hematoxylin[i];
  }
  const meanDab = new Float32Array(count + 1);
  const meanHematoxylin = new Float32Array(count + 1);
  for (let l = 1; l <= count; l++) {
    meanDab[l] = sumD[l] / area[l];
    meanHematoxylin[l] = sumH[l] / area[l];
  }
  return { meanDab, meanHematoxylin };
}

/** 1 where a pixel and its four neighbours carry the same (non-zero) label: everything but each outline. */
function interiorMask(labels: Int32Array, width: number, height: number): Uint8Array {
  const out = interiorScratch(width * height).fill(0);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      const l = labels[i];
      if (l && labels[i - 1] === l && labels[i + 1] === l && labels[i - width] === l && labels[i + width] === l) out[i] = 1;
    }
  }
  return out;
}

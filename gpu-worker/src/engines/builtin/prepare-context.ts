import {
  DEFAULT_HDAB_VECTORS,
  deconvolveStains,
  estimateBackgroundIntensity,
  estimateStainVectors,
  normaliseStainVector,
  RestainError,
  WHITE_BACKGROUND,
  type BackgroundIntensity,
  type Raster,
  type StainVectors,
} from '@restain/shared';
import type { BuiltinOptions } from './builtin-options';
import { otsuThreshold } from './otsu-threshold';

/** What the built-in engine learns from one image and applies to all of its tiles. */
export interface BuiltinContext {
  readonly background: BackgroundIntensity;
  readonly stains: StainVectors;
  readonly stainsEstimated: { readonly hematoxylin: boolean; readonly dab: boolean };
  /** Nuclear OD (hematoxylin + DAB) above which a pixel is nucleus. */
  readonly nuclearThresholdOd: number;
}

/** Upper end of the OD range the threshold histogram covers: darker DAB would swamp it. */
const THRESHOLD_HISTOGRAM_MAX_OD = 1.0;

/** Estimate glass intensity, stain vectors and the nuclear-OD threshold from a sample raster. */
export function prepareBuiltinContext(sample: Raster, options: BuiltinOptions): BuiltinContext {
  const background = options.estimateBackground ? estimateBackgroundIntensity(sample) : WHITE_BACKGROUND;
  const estimate = options.estimateStains
    ? estimateStainVectors(sample, background)
    : { stains: DEFAULT_HDAB_VECTORS, estimated: { hematoxylin: false, dab: false } };
  const { hematoxylin, dab } = deconvolveStains(sample, estimate.stains, background);
  const signal = new Float32Array(hematoxylin.data.length);
  for (let i = 0; i < signal.length; i++) {
    signal[i] = Math.max(0, hematoxylin.data[i]) + Math.max(0, dab.data[i]);
  }
  const otsu = signal.length > 0 ? otsuThreshold(signal, 0, THRESHOLD_HISTOGRAM_MAX_OD) : options.thresholdMinOd;
  const nuclearThresholdOd = Math.min(options.thresholdMaxOd, Math.max(options.thresholdMinOd, otsu * options.thresholdScale));
  return { background, stains: estimate.stains, stainsEstimated: estimate.estimated, nuclearThresholdOd };
}

/** Read a context back after a structured clone, checking every field. */
export function readBuiltinContext(context: Record<string, unknown>): BuiltinContext {
  const fail = (what: string, got: unknown): never => {
    throw new RestainError('INVALID_ARGUMENT', `Expected a built-in engine context from prepare() with ${what} but received ${JSON.stringify(got)}`);
  };
  const background = context.background;
  if (!Array.isArray(background) || background.length !== 3 || !background.every((v) => typeof v === 'number' && v >= 1 && v <= 255)) {
    fail('background: three intensities in [1, 255]', background);
  }
  const stains = context.stains as Record<string, unknown> | undefined;
  if (!stains || !Array.isArray(stains.hematoxylin) || !Array.isArray(stains.dab)) fail('stains: {hematoxylin, dab}', stains);
  const threshold = context.nuclearThresholdOd;
  if (typeof threshold !== 'number' || !(threshold > 0)) fail('nuclearThresholdOd > 0', threshold);
  const estimated = (context.stainsEstimated ?? {}) as Record<string, unknown>;
  return {
    background: background as unknown as BackgroundIntensity,
    stains: {
      hematoxylin: normaliseStainVector((stains as Record<string, number[]>).hematoxylin),
      dab: normaliseStainVector((stains as Record<string, number[]>).dab),
    },
    stainsEstimated: { hematoxylin: estimated.hematoxylin === true, dab: estimated.dab === true },
    nuclearThresholdOd: threshold as number,
  };
}

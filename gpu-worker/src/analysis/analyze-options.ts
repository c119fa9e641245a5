import type { PostprocessOptions, ScaleSpec } from '@restain/shared';
import { DEFAULT_POSTPROCESS_OPTIONS } from '@restain/shared';

/** Pixel limit for one input image unless configured otherwise (~14000 x 14000). */
export const DEFAULT_MAX_PIXELS = 200_000_000;

/** Everything that decides what an analysis produces (recorded in manifest.json). */
export interface AnalyzeOptions {
  readonly scale: ScaleSpec;
  /** Page of a multi-page TIFF (0-based). */
  readonly page: number;
  readonly maxPixels: number;
  readonly postprocess: PostprocessOptions;
}

export const DEFAULT_ANALYZE_OPTIONS: AnalyzeOptions = Object.freeze({
  scale: { kind: 'auto' } as const,
  page: 0,
  maxPixels: DEFAULT_MAX_PIXELS,
  postprocess: DEFAULT_POSTPROCESS_OPTIONS,
});

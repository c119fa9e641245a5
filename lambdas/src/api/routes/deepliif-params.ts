import { DEFAULT_POSTPROCESS_OPTIONS, type JobOptions, type Magnification, type PostprocessOptions, RestainError, parseMagnification } from '@restain/shared';
import { parseThresholdFields } from '../job-parameters';

/** Query parameters of DeepLIIF's /api/infer, /api/batch/infer and /api/postprocess. */
export interface DeepliifParams {
  /** DeepLIIF's default is 40x. */
  readonly resolution: Magnification;
  /** Only SegRefined (or only Seg with nopost). */
  readonly slim: boolean;
  /** Only the inferred channels, no scoring. */
  readonly nopost: boolean;
  readonly postprocess: PostprocessOptions;
}

/** Which images of a result a DeepLIIF answer carries, and whether it carries the scoring. */
export interface DeepliifSelection {
  readonly images: readonly string[];
  readonly scoring: boolean;
}

/** Images the model infers (what `nopost` answers), in DeepLIIF's order. */
export const DEEPLIIF_INFERRED_IMAGES = ['Hema', 'DAPI', 'Lap2', 'Marker', 'Seg'] as const;
/** Images post-processing draws from the Seg map and the cells. */
export const DEEPLIIF_POSTPROCESSED_IMAGES = ['SegOverlaid', 'SegRefined'] as const;

const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/**
 * DeepLIIF's flags (`pil`, `slim`, `nopost`) are on when present; we also read an explicit
 * false/0/no/off as off, which DeepLIIF would not (no DeepLIIF client sends those).
 */
export function readFlag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && !FALSE_WORDS.has(value.trim().toLowerCase());
}

function parseResolution(query: URLSearchParams): Magnification {
  const value = query.get('resolution');
  if (value === null || value.trim() === '') return '40x';
  const magnification = parseMagnification(value);
  if (!magnification) throw new RestainError('INVALID_ARGUMENT', `Expected 10x, 20x or 40x for resolution but received ${JSON.stringify(value)}`);
  return magnification;
}

/**
 * Parse the query: resolution (10x|20x|40x, default 40x), pil (accepted; every input is decoded
 * the same way), slim, nopost, prob_thresh (0-254), size_thresh (N|auto), size_thresh_upper
 * (N|none), marker_thresh (0-255|none|auto), size_thresh_relative (Restain's, 0 to below 1).
 * Omitted thresholds take the platform's defaults (the same as `restain analyze` and the jobs
 * API), not DeepLIIF's, so both APIs agree.
 */
export function parseDeepliifQuery(query: URLSearchParams): DeepliifParams {
  const resolution = parseResolution(query);
  const fields: Record<string, string> = {};
  for (const [from, to] of [['prob_thresh', 'seg_thresh'], ['size_thresh', 'size_thresh'], ['size_thresh_upper', 'size_thresh_upper'], ['size_thresh_relative', 'size_thresh_relative'], ['marker_thresh', 'marker_thresh']]) {
    const value = query.get(from);
    if (value !== null) fields[to] = value;
  }
  let postprocess: PostprocessOptions;
  try {
    postprocess = { ...parseThresholdFields(fields, DEFAULT_POSTPROCESS_OPTIONS), resolution };
  } catch (error) {
    // Our field is seg_thresh; DeepLIIF clients know it as prob_thresh.
    if (error instanceof RestainError) throw new RestainError(error.code, error.message.replace('for seg_thresh', 'for prob_thresh'));
    throw error;
  }
  return { resolution, slim: readFlag(query, 'slim'), nopost: readFlag(query, 'nopost'), postprocess };
}

/** Job options of a DeepLIIF request: the named magnification, the thresholds, page 0. */
export function deepliifJobOptions(params: DeepliifParams): JobOptions {
  return { scale: { kind: 'magnification', magnification: params.resolution }, postprocess: params.postprocess, page: 0 };
}

/** The images an answer carries: slim keeps SegRefined only (Seg with nopost); nopost drops scoring. */
export function deepliifSelection(params: Pick<DeepliifParams, 'slim' | 'nopost'>): DeepliifSelection {
  if (params.nopost) return { images: params.slim ? ['Seg'] : [...DEEPLIIF_INFERRED_IMAGES], scoring: false };
  return { images: params.slim ? ['SegRefined'] : [...DEEPLIIF_INFERRED_IMAGES, ...DEEPLIIF_POSTPROCESSED_IMAGES], scoring: true };
}

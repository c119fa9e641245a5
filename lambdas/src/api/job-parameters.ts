import {
  DEFAULT_POSTPROCESS_OPTIONS,
  type JobOptions,
  type PostprocessOptions,
  RestainError,
  type ScaleSpec,
  parseMagnification,
  validatePostprocessOptions,
} from '@restain/shared';

/** Threshold fields of the jobs API (DeepLIIF's names), in JSON bodies and multipart fields alike. */
export const THRESHOLD_FIELDS = ['seg_thresh', 'size_thresh', 'size_thresh_upper', 'size_thresh_relative', 'marker_thresh'] as const;
/** Every analysis parameter a job may be created with. */
export const JOB_PARAMETER_FIELDS = ['resolution', 'pixel_size', 'page', ...THRESHOLD_FIELDS] as const;

function invalid(field: string, expected: string, value: unknown): RestainError {
  return new RestainError('INVALID_ARGUMENT', `Expected ${expected} for ${field} but received ${JSON.stringify(value)}`);
}

/** A whole number in [min, max] given as a JSON number or a decimal string. */
function wholeNumber(field: string, value: unknown, min: number, max: number): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^-?\d+$/.test(text) || Number(text) < min || Number(text) > max) throw invalid(field, `a whole number from ${min} to ${max}`, value);
  return Number(text);
}

/** A number from 0 to below 1 given as a JSON number or a decimal string. */
function fraction(field: string, value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(number) || number < 0 || number >= 1) throw invalid(field, 'a number from 0 to below 1', value);
  return number;
}

function word(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
}

/** Thresholds from request fields over a base (defaults, or the thresholds a result was made with). */
export function parseThresholdFields(fields: Readonly<Record<string, unknown>>, base: PostprocessOptions = DEFAULT_POSTPROCESS_OPTIONS): PostprocessOptions {
  const options: PostprocessOptions = { ...base };
  const { seg_thresh: seg, size_thresh: size, size_thresh_upper: upper, size_thresh_relative: relative, marker_thresh: marker } = fields;
  if (seg !== undefined) options.segThresh = wholeNumber('seg_thresh', seg, 0, 254);
  if (size !== undefined) options.sizeThresh = word(size) === 'auto' ? 'auto' : wholeNumber('size_thresh', size, 0, 1e9);
  if (upper !== undefined) options.sizeThreshUpper = upper === null || word(upper) === 'none' ? null : wholeNumber('size_thresh_upper', upper, 1, 1e9);
  if (relative !== undefined) options.sizeThreshRelative = fraction('size_thresh_relative', relative);
  if (marker !== undefined) {
    const named = word(marker);
    options.markerThresh = named === 'none' || named === 'auto' ? named : wholeNumber('marker_thresh', marker, 0, 255);
  }
  validatePostprocessOptions(options);
  return options;
}

function parseScale(resolution: unknown, pixelSize: unknown): ScaleSpec {
  const named = resolution === undefined ? undefined : word(resolution);
  if (pixelSize !== undefined) {
    if (named !== undefined && named !== 'auto') {
      throw new RestainError('INVALID_ARGUMENT', `Expected either resolution or pixel_size but received both (${JSON.stringify(resolution)}, ${JSON.stringify(pixelSize)})`);
    }
    const number = typeof pixelSize === 'number' ? pixelSize : typeof pixelSize === 'string' && pixelSize.trim() !== '' ? Number(pixelSize) : NaN;
    if (!Number.isFinite(number) || number <= 0 || number > 100) throw invalid('pixel_size', 'a pixel size in µm/px above 0 and at most 100', pixelSize);
    return { kind: 'pixelSize', pixelSizeMicrons: number };
  }
  if (named === undefined || named === 'auto') {
    if (resolution !== undefined && named === undefined) throw invalid('resolution', 'auto, 10x, 20x or 40x', resolution);
    return { kind: 'auto' };
  }
  const magnification = parseMagnification(named);
  if (!magnification) throw invalid('resolution', 'auto, 10x, 20x or 40x', resolution);
  return { kind: 'magnification', magnification };
}

/** Analysis options of a new job from its request fields (unknown fields are the caller's to reject). */
export function parseJobParameters(fields: Readonly<Record<string, unknown>>): JobOptions {
  return {
    scale: parseScale(fields.resolution, fields.pixel_size),
    postprocess: parseThresholdFields(fields),
    page: fields.page === undefined ? 0 : wholeNumber('page', fields.page, 0, 10_000),
  };
}

/** The options of a job in the request fields' vocabulary (what a client sent, or would send to repeat it). */
export function describeJobParameters(options: JobOptions): Record<string, unknown> {
  const { scale, postprocess } = options;
  return {
    resolution: scale.kind === 'magnification' ? scale.magnification : scale.kind === 'auto' ? 'auto' : null,
    pixel_size: scale.kind === 'pixelSize' ? scale.pixelSizeMicrons : null,
    page: options.page,
    ...describeThresholds(postprocess),
  };
}

export function describeThresholds(postprocess: PostprocessOptions): Record<string, unknown> {
  return {
    seg_thresh: postprocess.segThresh,
    size_thresh: postprocess.sizeThresh,
    size_thresh_upper: postprocess.sizeThreshUpper ?? 'none',
    size_thresh_relative: postprocess.sizeThreshRelative ?? 0,
    marker_thresh: postprocess.markerThresh,
  };
}

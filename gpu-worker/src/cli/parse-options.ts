import {
  type PostprocessOptions,
  type ScaleSpec,
  DEFAULT_POSTPROCESS_OPTIONS,
  RestainError,
  parseMagnification,
} from '@restain/shared';

/** Raw string values of the threshold flags shared by `analyze` and `rescore`. */
export interface ThresholdFlags {
  'seg-thresh'?: string;
  'size-thresh'?: string;
  'size-thresh-upper'?: string;
  'size-thresh-relative'?: string;
  'marker-thresh'?: string;
}

export const THRESHOLD_FLAG_SPEC = {
  'seg-thresh': { type: 'string' },
  'size-thresh': { type: 'string' },
  'size-thresh-upper': { type: 'string' },
  'size-thresh-relative': { type: 'string' },
  'marker-thresh': { type: 'string' },
} as const;

function invalid(flag: string, expected: string, value: string): RestainError {
  return new RestainError('INVALID_ARGUMENT', `Expected ${expected} for --${flag} but received "${value}"`);
}

/** Parse a whole number in [min, max] given on the command line. */
export function parseInteger(flag: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || number < min || number > max) {
    throw invalid(flag, `a whole number from ${min} to ${max}`, value);
  }
  return number;
}

export function parsePositiveNumber(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) throw invalid(flag, 'a positive number', value);
  return number;
}

/** A fraction from 0 to below 1 given on the command line. */
export function parseFraction(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number >= 1) throw invalid(flag, 'a number from 0 to below 1', value);
  return number;
}

/** Thresholds from flags over a base (the defaults, or the thresholds a result was made with). */
export function parseThresholds(flags: ThresholdFlags, base: PostprocessOptions = DEFAULT_POSTPROCESS_OPTIONS): PostprocessOptions {
  const options = { ...base };
  if (flags['seg-thresh'] !== undefined) options.segThresh = parseInteger('seg-thresh', flags['seg-thresh'], 0, 254);
  const size = flags['size-thresh'];
  if (size !== undefined) options.sizeThresh = size === 'auto' ? 'auto' : parseInteger('size-thresh', size, 0, 1e9);
  const upper = flags['size-thresh-upper'];
  if (upper !== undefined) {
    options.sizeThreshUpper = upper === 'none' ? null : parseInteger('size-thresh-upper', upper, 1, 1e9);
  }
  const relative = flags['size-thresh-relative'];
  if (relative !== undefined) options.sizeThreshRelative = parseFraction('size-thresh-relative', relative);
  const marker = flags['marker-thresh'];
  if (marker !== undefined) {
    options.markerThresh = marker === 'none' || marker === 'auto' ? marker : parseInteger('marker-thresh', marker, 0, 255);
  }
  return options;
}

/** The scale from --resolution (auto|40x|20x|10x) and --pixel-size (µm/px, wins when given). */
export function parseScale(resolution: string | undefined, pixelSize: string | undefined): ScaleSpec {
  if (pixelSize !== undefined) {
    if (resolution !== undefined && resolution !== 'auto') {
      throw new RestainError('INVALID_ARGUMENT', 'Give either --resolution or --pixel-size, not both');
    }
    return { kind: 'pixelSize', pixelSizeMicrons: parsePositiveNumber('pixel-size', pixelSize) };
  }
  if (resolution === undefined || resolution === 'auto') return { kind: 'auto' };
  const magnification = parseMagnification(resolution);
  if (!magnification) throw invalid('resolution', 'auto, 40x, 20x or 10x', resolution);
  return { kind: 'magnification', magnification };
}

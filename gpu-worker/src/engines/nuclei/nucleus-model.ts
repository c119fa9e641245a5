import { invalid, isInsideModelFolder } from '../onnx/manifest';
import { checkModelFile, MANIFEST_FILE, readManifestJson } from '../onnx/read-model-folder';

/**
 * A nucleus model folder: one ONNX net that maps an RGB image at `downsample` x the reference
 * pixel size to three logit planes (nucleus-centre heat, positive class, nucleus mask), plus the
 * thresholds that turn them into cells. Written by gpu-worker/dev/train-nuclei.
 */
export interface NucleusModelManifest {
  readonly name: string;
  readonly version: string;
  readonly file: string;
  /** The net sees the reference-scale tile shrunk by this integer factor. */
  readonly downsample: number;
  /** Input height and width must be multiples of this (the net's total pooling). */
  readonly inputMultiple: number;
  /** Input value = byte x scale + offset (the same for R, G and B). */
  readonly normalisation: { readonly scale: number; readonly offset: number };
  /** Output planes in this order: centre heat, positive probability, nucleus mask (logits). */
  readonly thresholds: {
    /** A nucleus centre is a local maximum of the smoothed heat at least this high. */
    readonly centre: number;
    /** Pixels whose mask probability reaches this belong to a nucleus. */
    readonly mask: number;
    /** A nucleus is positive when the positive probability at its centre reaches this... */
    readonly positive: number;
    /** ...and its mean DAB OD reaches this, */
    readonly positiveMinDabOd: number;
    /** or when its mean DAB OD alone reaches this. */
    readonly positiveDabOd: number;
  };
  /** Minimum distance between two centres, µm. */
  readonly minCentreDistanceMicrons: number;
  /** Every centre owns at least the disc of this radius (µm) where the mask is empty. */
  readonly minRadiusMicrons: number;
  /** A cell needs at least this fraction of its pixels backed by the mask (0: every centre is a cell). */
  readonly minMaskFraction: number;
  /** A cell keeps its pixels within this many equivalent radii of its centre (0: all). */
  readonly centredRadiusFactor: number;
  /**
   * Mask pixels also need smoothed nuclear OD of at least this fraction of the image's nuclear
   * threshold (the built-in engine's Otsu level), so the mask cannot spread over glass (0: off).
   */
  readonly maskStainFraction: number;
  /** What it was trained on and under which terms (recorded in results' manifest). */
  readonly training?: Record<string, unknown>;
}

function fail(where: string, what: string, got: unknown): never {
  throw invalid(where, what, got);
}

function num(where: string, obj: Record<string, unknown>, key: string, ok: (v: number) => boolean, what: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) fail(where, `${key} ${what}`, v);
  return v;
}

function record(where: string, v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, what, v);
  return v as Record<string, unknown>;
}

/** Validates a nucleus model's manifest.json; throws MODEL_INVALID naming the field. */
export function parseNucleusManifest(value: unknown, where = MANIFEST_FILE): NucleusModelManifest {
  const m = record(where, value, 'a JSON object');
  const text = (key: string): string => {
    const v = m[key];
    if (typeof v !== 'string' || v.length === 0) fail(where, `a non-empty string ${key}`, v);
    return v;
  };
  const file = text('file');
  if (!isInsideModelFolder(file)) fail(where, 'file inside the model folder', file);
  const norm = record(where, m.normalisation, 'normalisation {scale, offset}');
  const th = record(where, m.thresholds, 'thresholds {centre, mask, positive}');
  const prob = (v: number): boolean => v > 0 && v < 1;
  return {
    name: text('name'),
    version: text('version'),
    file,
    downsample: num(where, m, 'downsample', (v) => Number.isInteger(v) && v >= 1 && v <= 8, 'an integer 1-8'),
    inputMultiple: num(where, m, 'inputMultiple', (v) => Number.isInteger(v) && v >= 1 && v <= 256, 'an integer 1-256'),
    normalisation: {
      scale: num(where, norm, 'scale', (v) => v !== 0, 'non-zero'),
      offset: num(where, norm, 'offset', () => true, 'a number'),
    },
    thresholds: {
      centre: num(where, th, 'centre', prob, 'in (0, 1)'),
      mask: num(where, th, 'mask', prob, 'in (0, 1)'),
      positive: num(where, th, 'positive', prob, 'in (0, 1)'),
      positiveMinDabOd: num(where, th, 'positiveMinDabOd', (v) => v >= 0 && v <= 3, 'in [0, 3]'),
      positiveDabOd: num(where, th, 'positiveDabOd', (v) => v > 0 && v <= 3, 'in (0, 3]'),
    },
    minCentreDistanceMicrons: num(where, m, 'minCentreDistanceMicrons', (v) => v > 0 && v < 50, 'in (0, 50)'),
    minRadiusMicrons: num(where, m, 'minRadiusMicrons', (v) => v >= 0 && v < 20, 'in [0, 20)'),
    minMaskFraction: num(where, m, 'minMaskFraction', (v) => v >= 0 && v <= 1, 'in [0, 1]'),
    centredRadiusFactor: num(where, m, 'centredRadiusFactor', (v) => v >= 0 && v <= 10, 'in [0, 10]'),
    maskStainFraction: num(where, m, 'maskStainFraction', (v) => v >= 0 && v <= 2, 'in [0, 2]'),
    training: m.training === undefined ? undefined : record(where, m.training, 'an object'),
  };
}

/** Reads and validates a nucleus model folder (MODEL_INVALID naming what is absent or wrong). */
export async function readNucleusModel(modelDir: string): Promise<NucleusModelManifest> {
  const { json, manifestPath } = await readManifestJson(modelDir, 'nucleus model');
  const manifest = parseNucleusManifest(json, manifestPath);
  await checkModelFile(modelDir, manifest.file, manifestPath);
  return manifest;
}

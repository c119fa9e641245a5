import { RestainError } from '@restain/shared';

/** The four virtually restained modalities DeepLIIF's translation generators produce (G1..G4). */
export const TRANSLATION_CHANNELS = ['Hema', 'DAPI', 'Lap2', 'Marker'] as const;
export type TranslationChannel = (typeof TRANSLATION_CHANNELS)[number];

/** What a segmentation net reads: the IHC tile itself or one translated modality. */
export const SEGMENTATION_INPUTS = ['IHC', ...TRANSLATION_CHANNELS] as const;
export type SegmentationInput = (typeof SEGMENTATION_INPUTS)[number];

/** RGB bytes -> network input: 'tanh' is x/127.5-1 (DeepLIIF); 'meanStd' is (x/255-mean)/std. */
export type Normalisation =
  | { readonly kind: 'tanh' }
  | { readonly kind: 'meanStd'; readonly mean: readonly [number, number, number]; readonly std: readonly [number, number, number] };

/**
 * Network output -> bytes: 'tanh' maps [-1,1] to (y+1)*127.5, 'unit' maps [0,1] to y*255; then
 * clamped to 0..255 and truncated (DeepLIIF's tensor2im astype(uint8)) or rounded to nearest.
 */
export interface OutputScaling {
  readonly kind: 'tanh' | 'unit';
  readonly rounding: 'truncate' | 'nearest';
}

/** Per-pixel display step DeepLIIF applies to some modalities (DAPI: gray, red 0; Marker: gray, blue 0). */
export interface DisplayAdjustment {
  readonly grayscale: boolean;
  readonly zeroChannels: ReadonlyArray<'R' | 'G' | 'B'>;
}

export interface TranslationNet {
  /** ONNX file, relative to the model folder. */
  readonly file: string;
  readonly channel: TranslationChannel;
  /** Graph input / output names; default: the file's only input / first output. */
  readonly input?: string;
  readonly output?: string;
  readonly display?: DisplayAdjustment;
}

export interface SegmentationNet {
  readonly file: string;
  readonly input: SegmentationInput;
  readonly inputName?: string;
  readonly outputName?: string;
}

/** The parsed, validated manifest.json of a DeepLIIF-architecture model folder (see README.md). */
export interface ModelManifest {
  readonly name: string;
  readonly version: string;
  /** Square tile edge in pixels the nets take (DeepLIIF: 512). */
  readonly inputSize: number;
  readonly normalisation: Normalisation;
  readonly outputScaling: OutputScaling;
  readonly translation: readonly TranslationNet[];
  readonly segmentation: readonly SegmentationNet[];
  /** One weight per segmentation net; the fused map is their weighted sum (before scaling). */
  readonly segmentationFusionWeights: readonly number[];
  /** Which fused output plane becomes Seg's red, green, blue (default [0, 1, 2]). */
  readonly segmentationChannels: readonly [number, number, number];
}

type Json = Record<string, unknown>;

/** MODEL_INVALID: `<where>: expected <expected> but received <actual>` (shared by every model manifest). */
export function invalid(where: string, expected: string, actual: unknown): RestainError {
  const shown = actual === undefined ? 'nothing' : JSON.stringify(actual);
  return new RestainError('MODEL_INVALID', `${where}: expected ${expected} but received ${shown}`);
}

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(where, 'an object', value);
  return value as Json;
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(where, 'a non-empty string', value);
  return value;
}

function optionalText(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : text(value, where);
}

function finite(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(where, 'a finite number', value);
  return value;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(where, 'a non-empty array', value);
  return value;
}

function oneOf<T extends string>(value: unknown, options: readonly T[], where: string): T {
  if (!options.includes(value as T)) throw invalid(where, `one of ${options.join(', ')}`, value);
  return value as T;
}

function triple(value: unknown, where: string, check: (n: number, at: string) => number): [number, number, number] {
  if (!Array.isArray(value) || value.length !== 3) throw invalid(where, 'an array of 3 numbers', value);
  return [check(value[0], `${where}[0]`), check(value[1], `${where}[1]`), check(value[2], `${where}[2]`)];
}

/** A model folder is self-contained: the files its manifest names may not point outside it. */
export function isInsideModelFolder(file: string): boolean {
  return !file.startsWith('/') && !file.split(/[\\/]/).includes('..');
}

function onnxFile(value: unknown, where: string): string {
  const file = text(value, where);
  if (!isInsideModelFolder(file)) throw invalid(where, 'a path inside the model folder', file);
  return file;
}

function parseNormalisation(value: unknown): Normalisation {
  const n = object(value, 'normalisation');
  const kind = oneOf(n.kind, ['tanh', 'meanStd'] as const, 'normalisation.kind');
  if (kind === 'tanh') return { kind };
  const positive = (x: unknown, at: string): number => {
    const v = finite(x, at);
    if (v <= 0) throw invalid(at, 'a positive number', v);
    return v;
  };
  return { kind, mean: triple(n.mean, 'normalisation.mean', finite), std: triple(n.std, 'normalisation.std', positive) };
}

function parseOutputScaling(value: unknown): OutputScaling {
  if (value === undefined) return { kind: 'tanh', rounding: 'truncate' };
  const o = object(value, 'outputScaling');
  return {
    kind: oneOf(o.kind, ['tanh', 'unit'] as const, 'outputScaling.kind'),
    rounding: o.rounding === undefined ? 'truncate' : oneOf(o.rounding, ['truncate', 'nearest'] as const, 'outputScaling.rounding'),
  };
}

function parseDisplay(value: unknown, where: string): DisplayAdjustment | undefined {
  if (value === undefined) return undefined;
  const d = object(value, where);
  const zero = d.zeroChannels === undefined ? [] : d.zeroChannels;
  if (!Array.isArray(zero)) throw invalid(`${where}.zeroChannels`, 'an array of R, G, B', zero);
  if (d.grayscale !== undefined && typeof d.grayscale !== 'boolean') throw invalid(`${where}.grayscale`, 'a boolean', d.grayscale);
  return {
    grayscale: d.grayscale === true,
    zeroChannels: zero.map((c, i) => oneOf(c, ['R', 'G', 'B'] as const, `${where}.zeroChannels[${i}]`)),
  };
}

function parseTranslation(value: unknown): TranslationNet[] {
  const nets = list(value, 'translation').map((entry, i): TranslationNet => {
    const at = `translation[${i}]`;
    const t = object(entry, at);
    return {
      file: onnxFile(t.file, `${at}.file`),
      channel: oneOf(t.channel, TRANSLATION_CHANNELS, `${at}.channel`),
      input: optionalText(t.input, `${at}.input`),
      output: optionalText(t.output, `${at}.output`),
      display: parseDisplay(t.display, `${at}.display`),
    };
  });
  const channels = nets.map((n) => n.channel).sort();
  if (channels.join() !== [...TRANSLATION_CHANNELS].sort().join()) {
    throw invalid('translation', `each of ${TRANSLATION_CHANNELS.join(', ')} exactly once`, nets.map((n) => n.channel));
  }
  return nets;
}

function parseSegmentation(value: unknown): SegmentationNet[] {
  return list(value, 'segmentation').map((entry, i) => {
    const at = `segmentation[${i}]`;
    const s = object(entry, at);
    return {
      file: onnxFile(s.file, `${at}.file`),
      input: oneOf(s.input, SEGMENTATION_INPUTS, `${at}.input`),
      inputName: optionalText(s.inputName, `${at}.inputName`),
      outputName: optionalText(s.outputName, `${at}.outputName`),
    };
  });
}

/** Validates a parsed manifest.json; throws RestainError MODEL_INVALID naming the bad field. */
export function parseModelManifest(value: unknown): ModelManifest {
  const m = object(value, 'manifest');
  const inputSize = finite(m.inputSize, 'inputSize');
  if (!Number.isInteger(inputSize) || inputSize < 1) throw invalid('inputSize', 'a positive integer (pixels)', inputSize);
  const segmentation = parseSegmentation(m.segmentation);
  const weights = list(m.segmentationFusionWeights, 'segmentationFusionWeights').map((w, i) =>
    finite(w, `segmentationFusionWeights[${i}]`),
  );
  if (weights.length !== segmentation.length) {
    throw invalid('segmentationFusionWeights', `${segmentation.length} weights (one per segmentation net)`, weights);
  }
  const channelIndex = (x: unknown, at: string): number => {
    const v = finite(x, at);
    if (!Number.isInteger(v) || v < 0 || v > 2) throw invalid(at, 'an output plane index 0, 1 or 2', v);
    return v;
  };
  return {
    name: text(m.name, 'name'),
    version: text(m.version, 'version'),
    inputSize,
    normalisation: parseNormalisation(m.normalisation),
    outputScaling: parseOutputScaling(m.outputScaling),
    translation: parseTranslation(m.translation),
    segmentation,
    segmentationFusionWeights: weights,
    segmentationChannels:
      m.segmentationChannels === undefined ? [0, 1, 2] : triple(m.segmentationChannels, 'segmentationChannels', channelIndex),
  };
}

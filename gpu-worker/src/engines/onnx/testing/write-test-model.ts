import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputScaling, SegmentationInput, TranslationChannel } from '../manifest';
import { MANIFEST_FILE } from '../read-model-folder';
import { heavyGraph, IDENTITY, pointwiseGraph, type PointwiseNet } from './conv-nets';
import { encodeOnnxModel, type OnnxGraph } from './onnx-protobuf';

/** DeepLIIF's fusion of seg nets fed [Hema, DAPI, Lap2, Marker, IHC] (deepliif/models/__init__.py run_dask). */
export const DEEPLIIF_FUSION_WEIGHTS = [0.25, 0.25, 0.25, 0, 0.25] as const;

/** Linear nets whose outputs are exact functions of the input, so tests can predict every byte. */
export const TEST_TRANSLATION_NETS: Readonly<Record<TranslationChannel, PointwiseNet>> = {
  Hema: { weights: IDENTITY, bias: [0, 0, 0], activation: 'none' },
  // Red and blue swapped.
  DAPI: { weights: [0, 0, 1, 0, 1, 0, 1, 0, 0], bias: [0, 0, 0], activation: 'none' },
  // Negative: byte v -> 255 - v.
  Lap2: { weights: IDENTITY.map((w) => -w), bias: [0, 0, 0], activation: 'none' },
  Marker: { weights: [0.5, 0.5, 0, 0, 0.5, 0.5, 0.5, 0, 0.5], bias: [0.1, -0.1, 0], activation: 'tanh' },
};

/** Identity seg nets, one per DeepLIIF seg input, in DeepLIIF's fusion order. */
export const TEST_SEGMENTATION_NETS: ReadonlyArray<{ readonly input: SegmentationInput; readonly net: PointwiseNet }> = (
  ['Hema', 'DAPI', 'Lap2', 'Marker', 'IHC'] as const
).map((input) => ({ input, net: { weights: IDENTITY, bias: [0, 0, 0] as const, activation: 'none' as const } }));

export interface TestModelOptions {
  /** Tile edge in pixels (default 16). */
  readonly inputSize?: number;
  readonly translation?: Readonly<Record<TranslationChannel, PointwiseNet>>;
  readonly segmentation?: ReadonlyArray<{ readonly input: SegmentationInput; readonly net: PointwiseNet }>;
  readonly fusionWeights?: readonly number[];
  readonly outputScaling?: OutputScaling;
  /** Replace every net by a compute-heavy one (timing / concurrency tests). */
  readonly heavy?: { readonly width: number; readonly layers: number };
  /** Fields merged over the generated manifest (e.g. display adjustments, broken values). */
  readonly manifest?: Record<string, unknown>;
}

const CHANNELS: readonly TranslationChannel[] = ['Hema', 'DAPI', 'Lap2', 'Marker'];

/** DeepLIIF's seg generator names: G51 reads the IHC tile, G52..G55 read Hema, DAPI, Lap2, Marker. */
const DEEPLIIF_SEG_NAMES: Readonly<Record<SegmentationInput, string>> = { IHC: 'G51', Hema: 'G52', DAPI: 'G53', Lap2: 'G54', Marker: 'G55' };

function segmentationFile(input: SegmentationInput, index: number, all: ReadonlyArray<{ readonly input: SegmentationInput }>): string {
  const shared = all.filter((s) => s.input === input).length > 1;
  return shared ? `${DEEPLIIF_SEG_NAMES[input]}-${index}.onnx` : `${DEEPLIIF_SEG_NAMES[input]}.onnx`;
}

/**
 * Writes a DeepLIIF-architecture model folder of tiny 1x1-conv nets (4 translation + 5
 * segmentation) with known weights: `<dir>/manifest.json`, `<dir>/G1.onnx` ... `G4.onnx`, `G51.onnx` ... `G55.onnx` (DeepLIIF's names).
 * Returns the manifest object written.
 */
export async function writeTestModel(dir: string, options: TestModelOptions = {}): Promise<Record<string, unknown>> {
  const size = options.inputSize ?? 16;
  const translationNets = options.translation ?? TEST_TRANSLATION_NETS;
  const segmentationNets = options.segmentation ?? TEST_SEGMENTATION_NETS;
  await mkdir(dir, { recursive: true });
  const graph = (net: PointwiseNet, seed: number): OnnxGraph =>
    options.heavy ? heavyGraph(size, options.heavy.width, options.heavy.layers, seed) : pointwiseGraph(net, size);
  const translation = await Promise.all(
    CHANNELS.map(async (channel, i) => {
      const file = `G${i + 1}.onnx`;
      await writeFile(path.join(dir, file), encodeOnnxModel(graph(translationNets[channel], i + 1)));
      return { file, channel };
    }),
  );
  const segmentation = await Promise.all(
    segmentationNets.map(async ({ input, net }, i) => {
      const file = segmentationFile(input, i, segmentationNets);
      await writeFile(path.join(dir, file), encodeOnnxModel(graph(net, 51 + i)));
      return { file, input };
    }),
  );
  const manifest: Record<string, unknown> = {
    name: 'restain-test-model',
    version: '1.0.0',
    inputSize: size,
    normalisation: { kind: 'tanh' },
    outputScaling: options.outputScaling ?? { kind: 'tanh', rounding: 'nearest' },
    translation,
    segmentation,
    segmentationFusionWeights: options.fusionWeights ?? [...DEEPLIIF_FUSION_WEIGHTS].slice(0, segmentation.length),
    ...options.manifest,
  };
  await writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return manifest;
}

/**
 * Writes a DeepLIIF-size model folder for speed measurements: the four translation nets link to
 * one real-size generator file (e.g. a ResNet-9-blocks export, input [N,3,512,512]); the five
 * segmentation nets are heavy convolution stacks of `segWidth` channels and `segLayers` layers
 * (64 x 2 at 512 is ~20 G multiply-adds, near DeepLIIF's UNet-512).
 */
export async function writeBenchModel(
  dir: string,
  generatorFile: string,
  options: { readonly inputSize?: number; readonly segWidth?: number; readonly segLayers?: number } = {},
): Promise<Record<string, unknown>> {
  const size = options.inputSize ?? 512;
  await mkdir(dir, { recursive: true });
  const translation = await Promise.all(
    CHANNELS.map(async (channel, i) => {
      const file = `G${i + 1}.onnx`;
      await symlink(path.resolve(generatorFile), path.join(dir, file));
      return { file, channel };
    }),
  );
  const segmentation = await Promise.all(
    (['Hema', 'DAPI', 'Lap2', 'Marker', 'IHC'] as const).map(async (input, i) => {
      const file = segmentationFile(input, i, []);
      await writeFile(path.join(dir, file), encodeOnnxModel(heavyGraph(size, options.segWidth ?? 64, options.segLayers ?? 2, 51 + i)));
      return { file, input };
    }),
  );
  const manifest = {
    name: 'deepliif-size-bench',
    version: '0.0.0',
    inputSize: size,
    normalisation: { kind: 'tanh' },
    outputScaling: { kind: 'tanh', rounding: 'truncate' },
    translation,
    segmentation,
    segmentationFusionWeights: [...DEEPLIIF_FUSION_WEIGHTS],
  };
  await writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return manifest;
}

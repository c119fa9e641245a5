import { ort } from './onnxruntime';
import { RestainError, type Raster } from '@restain/shared';
import type { Engine, EngineInfo, EngineSpec, TileChannels } from '../engine';
import { serialTiles } from '../serial-tiles';
import { type ModelManifest, type SegmentationInput, type TranslationChannel } from './manifest';
import { openSessions, type SessionSettings } from './open-sessions';
import { readModelFolder } from './read-model-folder';
import { applyDisplay, fuseInto, normalisationTables, normaliseInto, planesToRaster } from './tile-tensors';

export type OnnxEngineSpec = Extract<EngineSpec, { kind: 'onnx' }>;

export interface OnnxEngineOptions {
  /** Where the one-line CUDA fallback notice goes (default console.warn). */
  readonly log?: (line: string) => void;
  /** onnxruntime graph optimisation (default 'all'). */
  readonly graphOptimizationLevel?: SessionSettings['graphOptimizationLevel'];
  /** onnxruntime CPU memory arena (default true: buffers are reused between tiles). */
  readonly enableCpuMemArena?: boolean;
}

/** One session.run: every manifest entry that shares an ONNX file is served by a single run. */
interface RunGroup {
  readonly session: ort.InferenceSession;
  readonly feeds: ReadonlyArray<{ readonly name: string; readonly source: SegmentationInput }>;
  readonly fetches: readonly string[];
  /** output name -> where its result goes (a channel, or a segmentation net index). */
  readonly targets: ReadonlyArray<{ readonly output: string; readonly target: TranslationChannel | number }>;
}

function groupRuns(
  sessions: ReadonlyMap<string, ort.InferenceSession>,
  entries: ReadonlyArray<{ file: string; source: SegmentationInput; input?: string; output?: string; target: TranslationChannel | number }>,
): RunGroup[] {
  type Pending = { session: ort.InferenceSession; feeds: Map<string, SegmentationInput>; targets: Array<RunGroup['targets'][number]> };
  const byFile = new Map<string, Pending>();
  for (const e of entries) {
    const session = sessions.get(e.file)!;
    const group: Pending = byFile.get(e.file) ?? { session, feeds: new Map(), targets: [] };
    byFile.set(e.file, group);
    const inputName = e.input ?? session.inputNames[0];
    const existing = group.feeds.get(inputName);
    if (existing !== undefined && existing !== e.source) {
      throw new RestainError('MODEL_INVALID', `${e.file}: input ${inputName} is fed both ${existing} and ${e.source}; name distinct inputs`);
    }
    group.feeds.set(inputName, e.source);
    group.targets.push({ output: e.output ?? session.outputNames[0], target: e.target });
  }
  return [...byFile.values()].map((g) => ({
    session: g.session,
    feeds: [...g.feeds].map(([name, source]) => ({ name, source })),
    fetches: [...new Set(g.targets.map((t) => t.output))],
    targets: g.targets,
  }));
}

async function runGroup(group: RunGroup, tensors: Partial<Record<SegmentationInput, ort.Tensor>>): Promise<ort.InferenceSession.ReturnType> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const f of group.feeds) feeds[f.name] = tensors[f.source]!;
  return group.session.run(feeds, group.fetches);
}

function checkTile(tile: Raster, size: number): void {
  if (tile.width !== size || tile.height !== size || (tile.channels !== 3 && tile.channels !== 4)) {
    throw new RestainError(
      'INVALID_ARGUMENT',
      `Expected an RGB tile of ${size} x ${size} for this model but received ${tile.width} x ${tile.height} with ${tile.channels} channels`,
    );
  }
  if (tile.data.length !== size * size * tile.channels) {
    throw new RestainError('INVALID_ARGUMENT', `Expected ${size * size * tile.channels} tile bytes but received ${tile.data.length}`);
  }
}

function describeEngine(manifest: ModelManifest, settings: SessionSettings, executionProvider: string): EngineInfo {
  return {
    name: manifest.name,
    version: manifest.version,
    inputSize: manifest.inputSize,
    parameters: {
      normalisation: manifest.normalisation,
      outputScaling: manifest.outputScaling,
      translation: manifest.translation.map((t) => ({ channel: t.channel, file: t.file, display: t.display ?? null })),
      segmentation: manifest.segmentation.map((s) => ({ input: s.input, file: s.file })),
      segmentationFusionWeights: manifest.segmentationFusionWeights,
      segmentationChannels: manifest.segmentationChannels,
      executionProvider,
      intraOpThreads: settings.intraOpThreads,
      graphOptimizationLevel: settings.graphOptimizationLevel,
    },
  };
}

/**
 * Builds a DeepLIIF-architecture engine from a model folder (see README.md) on onnxruntime-node.
 * session.run blocks the calling thread: use it inside a worker thread (see threaded-engine.ts).
 * Tiles must be inputSize x inputSize RGB; calls are serialised because input buffers are reused.
 */
export async function createOnnxEngine(spec: OnnxEngineSpec, options: OnnxEngineOptions = {}): Promise<Engine> {
  const manifest = await readModelFolder(spec.modelDir);
  const settings: SessionSettings = {
    device: spec.device,
    intraOpThreads: spec.intraOpThreads ?? 0,
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    enableCpuMemArena: options.enableCpuMemArena ?? true,
  };
  const { sessions, executionProvider } = await openSessions(spec.modelDir, manifest, settings, options.log ?? console.warn);
  const translation = groupRuns(
    sessions,
    manifest.translation.map((t) => ({ file: t.file, source: 'IHC' as const, input: t.input, output: t.output, target: t.channel })),
  );
  const segmentation = groupRuns(
    sessions,
    manifest.segmentation.map((s, i) => ({ file: s.file, source: s.input, input: s.inputName, output: s.outputName, target: i })),
  );

  const size = manifest.inputSize;
  const tables = normalisationTables(manifest.normalisation);
  const input = new Float32Array(3 * size * size);
  const inputTensor = new ort.Tensor('float32', input, [1, 3, size, size]);
  const fused = new Float32Array(3 * size * size);

  async function infer(tile: Raster): Promise<TileChannels> {
    normaliseInto(tile, tables, input);
    const tensors: Partial<Record<SegmentationInput, ort.Tensor>> = { IHC: inputTensor };
    for (const group of translation) {
      const results = await runGroup(group, tensors);
      for (const t of group.targets) tensors[t.target as TranslationChannel] = results[t.output] as ort.Tensor;
    }
    const segOutputs: Float32Array[] = new Array(manifest.segmentation.length);
    for (const group of segmentation) {
      const results = await runGroup(group, tensors);
      for (const t of group.targets) segOutputs[t.target as number] = results[t.output].data as Float32Array;
    }
    fuseInto(fused, segOutputs, manifest.segmentationFusionWeights);
    const channels = {} as Record<string, Raster>;
    for (const net of manifest.translation) {
      const raster = planesToRaster(tensors[net.channel]!.data as Float32Array, size, size, manifest.outputScaling);
      if (net.display) applyDisplay(raster, net.display);
      channels[net.channel] = raster;
    }
    channels.Seg = planesToRaster(fused, size, size, manifest.outputScaling, manifest.segmentationChannels);
    return channels as TileChannels;
  }

  return {
    info: describeEngine(manifest, settings, executionProvider),
    // The nets need no per-image facts: DeepLIIF normalises every tile the same way.
    prepare: async () => ({}),
    ...serialTiles(
      manifest.name,
      (tile) => checkTile(tile, size),
      (tile) => infer(tile),
      async () => {
        await Promise.all([...sessions.values()].map((s) => s.release()));
      },
    ),
  };
}

import path from 'node:path';
import { ort } from '../onnx/onnxruntime';
import { deconvolveStains, REFERENCE_PIXEL_SIZE_MICRONS, RestainError, type Raster } from '@restain/shared';
import { checkRgbTile, DEFAULT_BUILTIN_OPTIONS } from '../builtin';
import { prepareBuiltinContext, readBuiltinContext } from '../builtin/prepare-context';
import { renderChannels } from '../builtin/render-channels';
import type { Engine, EngineSpec, TileChannels } from '../engine';
import { serialTiles } from '../serial-tiles';
import { openSessionOnDevice, type SessionSettings } from '../onnx/open-sessions';
import { detectNuclei, type NucleusMapParameters } from './detect-nuclei';
import { mapsFromLogits, netInput } from './nucleus-maps';
import { readNucleusModel, type NucleusModelManifest } from './nucleus-model';

export type NucleiEngineSpec = Extract<EngineSpec, { kind: 'nuclei' }>;

/** Context around each tile core, px at the reference scale. */
export const NUCLEI_CONTEXT_MARGIN_PX = 64;

/** The manifest's micron distances as tile pixels at the reference scale. */
export function nucleusMapParameters(model: NucleusModelManifest, nuclearThresholdOd: number): NucleusMapParameters {
  const px = 1 / REFERENCE_PIXEL_SIZE_MICRONS;
  return {
    centreSigma: model.downsample,
    centreThreshold: model.thresholds.centre,
    minCentreDistance: model.minCentreDistanceMicrons * px,
    maskThreshold: model.thresholds.mask,
    minNuclearOd: model.maskStainFraction * nuclearThresholdOd,
    minRadius: model.minRadiusMicrons * px,
    minMaskFraction: model.minMaskFraction,
    positiveThreshold: model.thresholds.positive,
    positiveMinDab: model.thresholds.positiveMinDabOd,
    positiveDab: model.thresholds.positiveDabOd,
    centredRadiusFactor: model.centredRadiusFactor,
  };
}

/**
 * The default engine: Hema, Marker, DAPI and Lap2 rendered as the built-in engine does (colour
 * deconvolution with its default stains and per-image glass estimate), nuclei found by a small learned net (a nucleus
 * model folder: centre heat, positive probability and nucleus mask) on onnxruntime-node. Tiles of
 * any size at the reference scale. session.run blocks the calling thread: run it in engine threads.
 */
export async function createNucleiEngine(spec: NucleiEngineSpec, log: (line: string) => void = console.warn): Promise<Engine> {
  const model = await readNucleusModel(spec.modelDir);
  const settings: SessionSettings = {
    device: spec.device,
    intraOpThreads: spec.intraOpThreads ?? 0,
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
  };
  const { session, executionProvider } = await openSessionOnDevice(path.join(spec.modelDir, model.file), settings, model.name, log);
  const stainOptions = DEFAULT_BUILTIN_OPTIONS;

  async function infer(tile: Raster, context: Record<string, unknown>): Promise<TileChannels> {
    const ctx = readBuiltinContext(context);
    const { width, height } = tile;
    const input = netInput(tile, model);
    const tensor = new ort.Tensor('float32', input.data, [1, 3, input.height, input.width]);
    const result = await session.run({ [session.inputNames[0]]: tensor });
    const logits = result[session.outputNames[0]];
    if (!logits || logits.type !== 'float32') {
      throw new RestainError('MODEL_INVALID', `Model ${model.name}: expected a float32 output ${session.outputNames[0]}`);
    }
    const maps = mapsFromLogits(logits.data as Float32Array, input, width, height, model.downsample);
    const { hematoxylin, dab } = deconvolveStains(tile, ctx.stains, ctx.background);
    const seg = detectNuclei(maps, hematoxylin.data, dab.data, width, height, nucleusMapParameters(model, ctx.nuclearThresholdOd));
    return renderChannels(hematoxylin.data, dab.data, seg, ctx.stains);
  }

  return {
    info: {
      name: model.name,
      version: model.version,
      inputSize: null,
      // The net's receptive field is ~60 px at its scale (~120 px here): 64 px of context keeps
      // the maps of two neighbouring tiles in agreement over a nucleus on their shared edge.
      contextMarginPx: NUCLEI_CONTEXT_MARGIN_PX,
      parameters: {
        model: { file: model.file, downsample: model.downsample, normalisation: model.normalisation, training: model.training ?? null },
        thresholds: model.thresholds,
        minCentreDistanceMicrons: model.minCentreDistanceMicrons,
        minRadiusMicrons: model.minRadiusMicrons,
        minMaskFraction: model.minMaskFraction,
        centredRadiusFactor: model.centredRadiusFactor,
        maskStainFraction: model.maskStainFraction,
        estimateStains: stainOptions.estimateStains,
        estimateBackground: stainOptions.estimateBackground,
        executionProvider,
        intraOpThreads: settings.intraOpThreads,
      },
    },
    async prepare(sample: Raster) {
      checkRgbTile(sample, 'sample');
      return { ...prepareBuiltinContext(sample, stainOptions) };
    },
    ...serialTiles(
      model.name,
      (tile) => checkRgbTile(tile, 'tile'),
      (tile, context) => infer(tile, context),
      () => session.release(),
    ),
  };
}

import { deconvolveStains, RestainError, type Raster } from '@restain/shared';
import type { Engine, EngineContext, TileChannels } from '../engine';
import { parseBuiltinOptions, toPixelParameters, type BuiltinOptions } from './builtin-options';
import { prepareBuiltinContext, readBuiltinContext } from './prepare-context';
import { renderChannels } from './render-channels';
import { segmentNuclei } from './segment-nuclei';

export { BUILTIN_MARKER_OD_FULL_SCALE, BUILTIN_DAPI_OD_FULL_SCALE } from './render-channels';
export { DEFAULT_BUILTIN_OPTIONS, parseBuiltinOptions, type BuiltinOptions } from './builtin-options';
export type { BuiltinContext } from './prepare-context';

export const BUILTIN_ENGINE_NAME = 'restain-builtin';
export const BUILTIN_ENGINE_VERSION = '1.0.0';

/**
 * The engine with no downloaded weights: colour deconvolution (Ruifrok & Johnston) for Hema and
 * Marker, classical nucleus segmentation (threshold, distance-transform watershed, DAB
 * classification) for Seg, DAPI and Lap2. Tiles of any size at the 40x reference scale.
 */
export function createBuiltinEngine(options: Record<string, unknown> = {}): Engine {
  const settings: BuiltinOptions = parseBuiltinOptions(options);
  return {
    info: { name: BUILTIN_ENGINE_NAME, version: BUILTIN_ENGINE_VERSION, inputSize: null, parameters: { ...settings } },
    async prepare(sample: Raster): Promise<EngineContext> {
      checkRgbTile(sample, 'sample');
      const context = prepareBuiltinContext(sample, settings);
      return { ...context } as unknown as EngineContext;
    },
    async inferTile(tile: Raster, context: EngineContext): Promise<TileChannels> {
      checkRgbTile(tile, 'tile');
      return inferBuiltinTile(tile, context, settings);
    },
    async close(): Promise<void> {},
  };
}

/** Synchronous core of inferTile (exported for benchmarks and the tuning script). */
export function inferBuiltinTile(tile: Raster, context: EngineContext, settings: BuiltinOptions): TileChannels {
  const ctx = readBuiltinContext(context);
  const { width, height } = tile;
  const { hematoxylin, dab } = deconvolveStains(tile, ctx.stains, ctx.background);
  const seg = segmentNuclei(hematoxylin.data, dab.data, width, height, toPixelParameters(settings, ctx.nuclearThresholdOd));
  return renderChannels(hematoxylin.data, dab.data, seg, ctx.stains);
}

/** Throws INVALID_ARGUMENT unless the raster is a non-empty RGB(A) image whose data fits its size. */
export function checkRgbTile(raster: Raster, what: string): void {
  if (raster.channels !== 3 && raster.channels !== 4) {
    throw new RestainError('INVALID_ARGUMENT', `Expected an RGB ${what} but received ${raster.channels} channel(s)`);
  }
  if (raster.width < 1 || raster.height < 1 || raster.data.length !== raster.width * raster.height * raster.channels) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a non-empty ${what} of ${raster.width}x${raster.height}x${raster.channels} bytes but received ${raster.data.length}`);
  }
}

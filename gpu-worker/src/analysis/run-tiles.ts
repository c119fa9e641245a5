import { REFERENCE_TILE_SIZE, type Raster, RestainError, type TilePlan, cropRaster, isBackgroundTile, planTiles } from '@restain/shared';
import { CHANNEL_NAMES, type ChannelName, type Engine, type EngineContext } from '../engines/engine';
import { resizeRaster } from '../image/resize-raster';
import { shrinkSeg } from './shrink-seg';

/** Context kept around every tile core so nuclei cut by the core edge are seen whole. */
export const TILE_MARGIN_PX = 32;

export interface TileSink {
  /** Store the core of one channel of one tile at (x, y) of the reference-scale image. */
  write(channel: ChannelName, x: number, y: number, raster: Raster): void;
}

/** The error an analysis stopped by its AbortSignal throws (code CANCELLED: nothing was published). */
export function analysisCancelled(): RestainError {
  return new RestainError('CANCELLED', 'The analysis was cancelled before it finished; nothing was published');
}

/** Throws CANCELLED when `signal` has aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw analysisCancelled();
}

export interface TileProgress {
  readonly tilesDone: number;
  readonly tilesTotal: number;
}

export interface TileRunSummary {
  readonly tilesTotal: number;
  readonly tilesInferred: number;
  readonly tilesSkipped: number;
  readonly coreSizePx: number;
  readonly marginPx: number;
}

/**
 * Run the engine over every tile of a reference-scale image and stitch the tile cores into the sink.
 * Background-only tiles are not inferred: the sink's background stands for them. At most
 * `concurrency` tiles are in flight, which bounds memory whatever the image size.
 */
export async function runTiles(options: {
  engine: Engine;
  context: EngineContext;
  width: number;
  height: number;
  readTile: (tile: TilePlan) => Promise<Raster>;
  sink: TileSink;
  concurrency: number;
  /** Segmentation threshold a fixed-input model's larger Seg is shrunk at (touching cells stay apart). */
  segThresh: number;
  onProgress?: (progress: TileProgress) => void;
  /** Stops the run promptly: no further tile starts or is written, and the run rejects with CANCELLED. */
  signal?: AbortSignal;
}): Promise<TileRunSummary> {
  const { signal } = options;
  throwIfCancelled(signal);
  const { engine, context, sink } = options;
  const inputSize = engine.info.inputSize;
  // A fixed-input model sees a full read window (core + margins) resized to its input size.
  const marginPx = engine.info.contextMarginPx ?? TILE_MARGIN_PX;
  const coreSizePx = REFERENCE_TILE_SIZE - (inputSize ? 2 * marginPx : 0);
  const tiles = planTiles(options.width, options.height, coreSizePx, marginPx);
  let next = 0;
  let done = 0;
  let skipped = 0;

  const processTile = async (tile: TilePlan): Promise<void> => {
    const input = await options.readTile(tile);
    if (isBackgroundTile(input)) {
      skipped++;
      return;
    }
    const modelInput = inputSize ? await resizeRaster(input, inputSize, inputSize) : input;
    const channels = await engine.inferTile(modelInput, context);
    for (const name of CHANNEL_NAMES) {
      const full = name === 'Seg'
        ? await segToWindow(channels.Seg, input.width, input.height, options.segThresh)
        : await resizeRaster(channels[name], input.width, input.height, 'lanczos3');
      // A cancelled run has returned already and its sink may be closed: nothing more is written.
      if (signal?.aborted) return;
      sink.write(name, tile.core.x, tile.core.y, cropRaster(full, marginPx, marginPx, tile.core.width, tile.core.height));
    }
  };

  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && !signal?.aborted && next < tiles.length) {
      const tile = tiles[next++];
      try {
        await processTile(tile);
      } catch (error) {
        failed = true; // the other loops stop taking tiles; the first error is reported
        throw error;
      }
      if (signal?.aborted) return;
      done++;
      options.onProgress?.({ tilesDone: done, tilesTotal: tiles.length });
    }
  };
  const lanes = Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, tiles.length)) }, worker));
  if (signal) {
    // Cancellation does not wait for the tiles in flight (an engine call cannot be interrupted).
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(analysisCancelled());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([lanes, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    throwIfCancelled(signal);
  } else {
    await lanes;
  }
  return { tilesTotal: tiles.length, tilesInferred: tiles.length - skipped, tilesSkipped: skipped, coreSizePx, marginPx };
}

/**
 * A fixed-input model's Seg back to the read window's size: cell by cell when it shrinks (a model
 * input larger than the window draws one-pixel lines between touching cells that a nearest-neighbour
 * shrink would skip), nearest neighbour otherwise (no new colours between cells).
 */
async function segToWindow(seg: Raster, width: number, height: number, segThresh: number): Promise<Raster> {
  if (seg.width >= width && seg.height >= height && (seg.width > width || seg.height > height)) return shrinkSeg(seg, width, height, segThresh);
  return resizeRaster(seg, width, height, 'nearest');
}

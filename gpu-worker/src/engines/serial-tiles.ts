import { RestainError, type Raster } from '@restain/shared';
import type { Engine, EngineContext, TileChannels } from './engine';

/**
 * inferTile and close for a model engine whose tiles must run one at a time (its onnxruntime
 * sessions and buffers are reused between tiles). Tiles queue behind each other; a bad tile is
 * refused by `check` before it queues; a failure that is not a RestainError becomes ENGINE_FAILED
 * naming the model; use after close() is refused; close() waits for queued tiles, then releases.
 */
export function serialTiles(
  modelName: string,
  check: (tile: Raster) => void,
  infer: (tile: Raster, context: EngineContext) => Promise<TileChannels>,
  release: () => Promise<void>,
): Pick<Engine, 'inferTile' | 'close'> {
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  return {
    inferTile(tile: Raster, context: EngineContext): Promise<TileChannels> {
      if (closed) return Promise.reject(new RestainError('ENGINE_FAILED', `Engine ${modelName} was used after close()`));
      try {
        check(tile);
      } catch (error) {
        return Promise.reject(error);
      }
      const run = queue.then(() => infer(tile, context));
      queue = run.catch(() => undefined);
      return run.catch((error: unknown) => {
        if (error instanceof RestainError) throw error;
        throw new RestainError('ENGINE_FAILED', `Model ${modelName} failed on a tile: ${(error as Error).message}`, { cause: error });
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await queue;
      await release();
    },
  };
}

import type { Raster } from '@restain/shared';

/** DeepLIIF modality names, in the order DeepLIIF writes them. */
export const CHANNEL_NAMES = ['Hema', 'DAPI', 'Lap2', 'Marker', 'Seg'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** One tile's outputs: every channel an RGB raster (channels: 3) of the input tile's size. */
export type TileChannels = Record<ChannelName, Raster>;

/**
 * Per-image facts an engine derives once from a sample of the image (e.g. stain vectors) and
 * then applies to every tile. Must survive structured clone (it crosses worker threads).
 */
export type EngineContext = Record<string, unknown>;

export interface EngineInfo {
  readonly name: string;
  readonly version: string;
  /** Square input edge the engine needs (tiles are resized/padded to it); null = any size. */
  readonly inputSize: number | null;
  /**
   * Context (px at the reference scale) the engine needs around each tile core to see a nucleus
   * at the core's edge whole; default TILE_MARGIN_PX (32). Learned nets with a wide receptive
   * field ask for more so that neighbouring tiles agree where they meet.
   */
  readonly contextMarginPx?: number;
  /** Parameters that determine its output, recorded in manifest.json for reproducibility. */
  readonly parameters: Record<string, unknown>;
}

/**
 * Tile in, channels + segmentation out. Tiles arrive at the 40x reference scale
 * (REFERENCE_PIXEL_SIZE_MICRONS), RGB, 8-bit. Seg follows DeepLIIF's colours: red = positive
 * cell probability, blue = negative cell probability, green = cell boundary.
 */
export interface Engine {
  readonly info: EngineInfo;
  /** Derive per-image context from a representative RGB sample at the reference scale. */
  prepare(sample: Raster): Promise<EngineContext>;
  inferTile(tile: Raster, context: EngineContext): Promise<TileChannels>;
  close(): Promise<void>;
}

/** How to build an engine; plain data so a worker thread can build its own copy. */
export type EngineSpec =
  | { readonly kind: 'builtin'; readonly options?: Record<string, unknown> }
  | {
      readonly kind: 'onnx';
      readonly modelDir: string;
      readonly device: 'cpu' | 'cuda';
      /** onnxruntime intra-op threads per session. */
      readonly intraOpThreads?: number;
    }
  | {
      /** Built-in channels with nuclei from a nucleus model folder (see engines/nuclei). */
      readonly kind: 'nuclei';
      readonly modelDir: string;
      readonly device: 'cpu' | 'cuda';
      readonly intraOpThreads?: number;
    };

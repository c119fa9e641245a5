/** An interleaved 8-bit image held in memory: 1 (gray), 3 (RGB) or 4 (RGBA) channels. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4;
  readonly data: Uint8Array;
}

/** A single-channel float image (optical density, probabilities, distances). */
export interface FloatPlane {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function createRaster(width: number, height: number, channels: 1 | 3 | 4, fill = 0): Raster {
  const data = new Uint8Array(width * height * channels);
  if (fill !== 0) data.fill(fill);
  return { width, height, channels, data };
}

export function createPlane(width: number, height: number): FloatPlane {
  return { width, height, data: new Float32Array(width * height) };
}

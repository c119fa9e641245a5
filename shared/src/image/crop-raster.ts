import { type Raster, createRaster } from './raster';

/** Copy the `width` x `height` window at (x, y) out of a raster (the window must lie inside it). */
export function cropRaster(source: Raster, x: number, y: number, width: number, height: number): Raster {
  if (x < 0 || y < 0 || x + width > source.width || y + height > source.height) {
    throw new RangeError(
      `Expected a window inside ${source.width} x ${source.height} but received ${width} x ${height} at (${x}, ${y})`,
    );
  }
  if (x === 0 && y === 0 && width === source.width && height === source.height) return source;
  const out = createRaster(width, height, source.channels);
  const rowBytes = width * source.channels;
  for (let row = 0; row < height; row++) {
    const from = ((y + row) * source.width + x) * source.channels;
    out.data.set(source.data.subarray(from, from + rowBytes), row * rowBytes);
  }
  return out;
}

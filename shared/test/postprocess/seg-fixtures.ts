import { type Raster, createRaster } from '../../src/image/raster';

export type Rgb = readonly [number, number, number];
export const RED: Rgb = [255, 0, 0];
export const BLUE: Rgb = [0, 0, 255];
export const GREEN: Rgb = [0, 255, 0];

/** A black RGB Seg image of the given size. */
export function blankSeg(width: number, height: number): Raster {
  return createRaster(width, height, 3);
}

/** Paint the rectangle [x0, x1) x [y0, y1) with one colour. */
export function fillRect(r: Raster, x0: number, y0: number, x1: number, y1: number, rgb: Rgb): void {
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = (y * r.width + x) * r.channels;
      r.data[p] = rgb[0];
      r.data[p + 1] = rgb[1];
      r.data[p + 2] = rgb[2];
    }
  }
}

export function pixel(r: Raster, x: number, y: number): number[] {
  const p = (y * r.width + x) * r.channels;
  return Array.from(r.data.subarray(p, p + r.channels));
}

/**
 * Scale vocabulary. DeepLIIF users speak in objective magnification; its models were trained on
 * 40x tiles of 512 px, so 20x maps to 256 px tiles and 10x to 128 px tiles, each resized to 512.
 * We express every scale as a factor to that 40x reference (working px per input px).
 */
export type Magnification = '10x' | '20x' | '40x';

export const MAGNIFICATIONS: readonly Magnification[] = ['10x', '20x', '40x'];

/** Pixel size of the 40x reference scale (typical 40x whole-slide scanners: ~0.25 µm/px). */
export const REFERENCE_PIXEL_SIZE_MICRONS = 0.25;

/** Tile edge at the reference scale (the model input of DeepLIIF-style models). */
export const REFERENCE_TILE_SIZE = 512;

export type ScaleSpec =
  | { readonly kind: 'auto' }
  | { readonly kind: 'magnification'; readonly magnification: Magnification }
  | { readonly kind: 'pixelSize'; readonly pixelSizeMicrons: number };

const MAGNIFICATION_POWER: Record<Magnification, number> = { '10x': 10, '20x': 20, '40x': 40 };

/** Tile edge in input pixels for a magnification (40x: 512, 20x: 256, 10x: 128). */
export function tileSizeForMagnification(magnification: Magnification): number {
  return (REFERENCE_TILE_SIZE * MAGNIFICATION_POWER[magnification]) / 40;
}

/** Pixel size in microns implied by a magnification (40x: 0.25 µm/px). */
export function pixelSizeForMagnification(magnification: Magnification): number {
  return (REFERENCE_PIXEL_SIZE_MICRONS * 40) / MAGNIFICATION_POWER[magnification];
}

/** Factor that resizes input pixels to the 40x reference (>1 upsamples, <1 downsamples). */
export function referenceScaleFactor(pixelSizeMicrons: number): number {
  return pixelSizeMicrons / REFERENCE_PIXEL_SIZE_MICRONS;
}

export function parseMagnification(text: string): Magnification | null {
  const normalised = text.trim().toLowerCase();
  return (MAGNIFICATIONS as readonly string[]).includes(normalised) ? (normalised as Magnification) : null;
}

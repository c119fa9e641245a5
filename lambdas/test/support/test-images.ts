import sharp from 'sharp';
import { generateSyntheticIhc } from '@restain/shared';

/** A small synthetic IHC image (deterministic for a seed) as PNG bytes: 30 nuclei per 320 x 256 px, 40 % positive. */
export async function syntheticPng(width = 320, height = 256, seed = 11): Promise<Uint8Array<ArrayBuffer>> {
  const cellCount = Math.max(1, Math.round((30 * width * height) / (320 * 256)));
  const { image } = generateSyntheticIhc({ width, height, seed, cellCount, positiveFraction: 0.4 });
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).png().toBuffer();
  return new Uint8Array(png);
}

import { SAMPLE_IMAGE_OPTIONS, type SyntheticOptions, generateSyntheticIhc } from '@restain/shared';

/** A synthetic IHC image to try the platform with, generated in the browser (no files shipped). */
export interface SampleImage {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly fileName: string;
  readonly options: SyntheticOptions;
}

export const SAMPLE_IMAGES: readonly SampleImage[] = [
  {
    id: 'ki67-40x',
    label: 'Ki67, 40x',
    description: '1024 × 768 px, 150 nuclei, 30 % positive',
    fileName: 'sample-ki67-40x.png',
    options: SAMPLE_IMAGE_OPTIONS,
  },
  {
    id: 'hot-spot-20x',
    label: 'Hot spot, 20x',
    description: '1024 × 1024 px, dense, 60 % positive',
    fileName: 'sample-hot-spot-20x.png',
    options: { width: 1024, height: 1024, seed: 4242, pixelSizeMicrons: 0.5, cellDensityPerMm2: 5000, positiveFraction: 0.6 },
  },
  {
    id: 'low-index-40x',
    label: 'Low index, 40x',
    description: '768 × 768 px, 120 nuclei, 5 % positive',
    fileName: 'sample-low-index-40x.png',
    options: { width: 768, height: 768, seed: 9001, cellCount: 120, positiveFraction: 0.05 },
  },
];

/** Renders a sample to a PNG File (a canvas encodes it; the generator is deterministic). */
export async function renderSampleFile(sample: SampleImage): Promise<File> {
  const { image } = generateSyntheticIhc(sample.options);
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += image.channels) {
    rgba[i] = image.data[j];
    rgba[i + 1] = image.data[j + (image.channels >= 3 ? 1 : 0)];
    rgba[i + 2] = image.data[j + (image.channels >= 3 ? 2 : 0)];
    rgba[i + 3] = 255;
  }
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw images (no 2D canvas)');
  context.putImageData(new ImageData(rgba, image.width, image.height), 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('This browser could not encode the sample as PNG');
  return new File([blob], sample.fileName, { type: 'image/png' });
}

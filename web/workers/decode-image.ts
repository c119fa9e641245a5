/** A decoded image: RGBA bytes, as getImageData gives them. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/**
 * Fetch and decode a PNG inside a worker with no colour management or premultiplication, so the
 * bytes are the file's own (what the server's PNG reader sees).
 */
export async function decodeImage(url: string, headers: Readonly<Record<string, string>>): Promise<DecodedImage> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`Could not load ${url}: HTTP ${response.status}`);
  const bitmap = await createImageBitmap(await response.blob(), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('No 2D canvas in this browser');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = context.getImageData(0, 0, width, height);
  return { width, height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

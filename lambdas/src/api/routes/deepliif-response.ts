import { type ResultVersion, RestainError, type Scoring } from '@restain/shared';
import type { AppContext } from '../app-context';
import type { DeepliifSelection } from './deepliif-params';

/** One image of a DeepLIIF answer and how to open its PNG bytes (opened only when written). */
export interface DeepliifImageSource {
  readonly name: string;
  readonly open: () => Promise<AsyncIterable<Uint8Array>>;
}

const encoder = new TextEncoder();

/** Base64 of a byte stream, chunk by chunk (cut at multiples of 3 bytes so chunks concatenate). */
export async function* base64Chunks(source: AsyncIterable<Uint8Array>): AsyncIterable<string> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const whole = data.length - (data.length % 3);
    if (whole > 0) yield data.subarray(0, whole).toString('base64');
    carry = Buffer.from(data.subarray(whole));
  }
  if (carry.length > 0) yield carry.toString('base64');
}

/**
 * The JSON DeepLIIF clients read, `{"images": {name: base64 PNG}, "scoring": {...}}`, written
 * as a stream so no image (a 10000 x 10000 result is hundreds of MB as base64) is held whole.
 * `wrap` puts it inside an envelope (the batch status answer's `result`).
 */
export async function* deepliifJson(
  images: readonly DeepliifImageSource[],
  scoring: Scoring | undefined,
  wrap: { prefix: string; suffix: string } = { prefix: '', suffix: '' },
): AsyncIterable<Uint8Array> {
  yield encoder.encode(`${wrap.prefix}{"images":{`);
  for (const [i, image] of images.entries()) {
    yield encoder.encode(`${i > 0 ? ',' : ''}${JSON.stringify(image.name)}:"`);
    for await (const text of base64Chunks(await image.open())) yield encoder.encode(text);
    yield encoder.encode('"');
  }
  yield encoder.encode(scoring ? `},"scoring":${JSON.stringify(scoring)}}` : '}}');
  yield encoder.encode(wrap.suffix);
}

/**
 * The image sources of a published result version for a selection. Every file is checked
 * first, so a missing one fails before any byte is sent.
 */
export async function resultImageSources(context: AppContext, version: ResultVersion, selection: DeepliifSelection): Promise<DeepliifImageSource[]> {
  const sources: DeepliifImageSource[] = [];
  for (const name of selection.images) {
    const key = `${version.prefix}${name}.png`;
    if (!version.files.includes(`${name}.png`) || !(await context.objects.head(key))) {
      throw new RestainError('INTERNAL', `Result version ${version.version} has no ${name}.png`);
    }
    sources.push({
      name,
      open: async () => {
        const object = await context.objects.get(key);
        if (!object) throw new RestainError('NOT_FOUND', `${name}.png of result version ${version.version} disappeared while it was being sent`);
        return object.body;
      },
    });
  }
  return sources;
}

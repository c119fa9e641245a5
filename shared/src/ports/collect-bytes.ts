/** A ceiling for collectBytes and the error to throw once a stream passes it. */
export interface ByteLimit {
  readonly maxBytes: number;
  readonly tooLarge: () => Error;
}

/**
 * Collects a byte stream (an object body, a request body) into one array. With a limit it throws
 * `tooLarge()` as soon as the stream passes `maxBytes`, reading no further.
 */
export async function collectBytes(source: AsyncIterable<Uint8Array>, limit?: ByteLimit): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (limit && total > limit.maxBytes) throw limit.tooLarge();
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

import { collectBytes } from '../../src/ports/collect-bytes';

async function* chunks(parts: number[][], read: number[] = []): AsyncIterable<Uint8Array> {
  for (const [i, part] of parts.entries()) {
    read.push(i);
    yield Uint8Array.from(part);
  }
}

describe('collectBytes', () => {
  it('joins the chunks of a stream in order', async () => {
    expect(Array.from(await collectBytes(chunks([[1, 2], [], [3], [4, 5, 6]])))).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await collectBytes(chunks([]))).byteLength).toBe(0);
  });

  it('accepts exactly maxBytes and throws the limit error past it, reading no further', async () => {
    const limit = { maxBytes: 3, tooLarge: () => new Error('too large') };
    expect(Array.from(await collectBytes(chunks([[1, 2], [3]]), limit))).toEqual([1, 2, 3]);
    const read: number[] = [];
    await expect(collectBytes(chunks([[1, 2], [3, 4], [5]], read), limit)).rejects.toThrow('too large');
    expect(read).toEqual([0, 1]);
  });
});

import { ProgressBar } from '../../src/cli/progress-bar';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, columns: 80, write: (chunk: string) => writes.push(chunk) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('ProgressBar', () => {
  it('draws tiles done on a terminal and clears its line', () => {
    const { stream, writes } = fakeStream(true);
    const bar = new ProgressBar(stream);
    bar.update('slide.png', 3, 12);
    expect(writes.at(-1)).toContain('slide.png [########......................] 3/12 tiles 25%');
    bar.update('slide.png', 12, 12);
    expect(writes.at(-1)).toContain('12/12 tiles 100%');
    bar.clear();
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });

  it('stays silent when the output is not a terminal', () => {
    const { stream, writes } = fakeStream(false);
    const bar = new ProgressBar(stream);
    bar.update('slide.png', 1, 2);
    bar.clear();
    expect(writes).toEqual([]);
  });
});

import { CHANNEL_NAMES } from '../../../src/engines/engine';
import { createBuiltinEngine } from '../../../src/engines/builtin';
import { scratch } from '../../../src/engines/builtin/scratch';
import { paintSlide } from './synthetic-slide';

const NEGATIVE = { hematoxylin: 0.45, dab: 0 };
const POSITIVE = { hematoxylin: 0.15, dab: 0.9 };

describe('per-thread scratch buffers', () => {
  it('hands back one buffer per length and a new one when the length changes', () => {
    const take = scratch(Int32Array);
    const a = take(16);
    expect(take(16)).toBe(a);
    const b = take(8);
    expect(b).not.toBe(a);
    expect(b).toHaveLength(8);
  });

  it('leaves tile outputs independent of the tiles analysed before and after', async () => {
    const engine = createBuiltinEngine();
    const busy = paintSlide(120, 100, [
      { x: 30, y: 30, radius: 12, ...POSITIVE }, { x: 52, y: 30, radius: 12, ...NEGATIVE },
      { x: 80, y: 70, radius: 14, ...NEGATIVE }, { x: 95, y: 25, radius: 10, ...POSITIVE },
    ]);
    const sparse = paintSlide(120, 100, [{ x: 60, y: 50, radius: 11, ...NEGATIVE }]);
    const other = paintSlide(90, 70, [{ x: 40, y: 35, radius: 13, ...POSITIVE }]);
    const run = async (tile: typeof busy) => engine.inferTile(tile, await engine.prepare(tile));
    // First engine run in this module: every scratch starts fresh (zeroed).
    const first = await run(sparse);
    const snapshot = CHANNEL_NAMES.map((name) => Uint8Array.from(first[name].data));
    // Another size (scratch replaced), then the same size: the rerun sees the busy tile's leftovers.
    await run(other);
    await run(busy);
    const again = await run(sparse);
    CHANNEL_NAMES.forEach((name, k) => {
      // Earlier outputs are not overwritten by later tiles, and a rerun repeats them exactly.
      expect(Buffer.from(first[name].data).equals(Buffer.from(snapshot[k]))).toBe(true);
      expect(Buffer.from(again[name].data).equals(Buffer.from(snapshot[k]))).toBe(true);
    });
    expect(snapshot[CHANNEL_NAMES.indexOf('Seg')].some((v) => v === 255)).toBe(true);
  });
});

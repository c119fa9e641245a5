import { createRandom, forkRandom } from '../../src/synthetic/random';

describe('createRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const seqA = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(seqA);
    // Seeds beyond 32 bits still matter.
    expect(createRandom(2 ** 40).nextUint32()).not.toBe(createRandom(0).nextUint32());
  });

  it('draws uniform floats in [0, 1) and integers in [0, n)', () => {
    const random = createRandom(1);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 20000; i++) {
      const v = random.next();
      expect(v >= 0 && v < 1).toBe(true);
      buckets[Math.floor(v * 10)]++;
    }
    for (const count of buckets) expect(Math.abs(count - 2000)).toBeLessThan(200);
    for (let i = 0; i < 1000; i++) expect(random.int(7)).toBeLessThan(7);
  });

  it('draws standard normal samples', () => {
    const random = createRandom(2);
    const samples = Array.from({ length: 20000 }, () => random.normal());
    const mean = samples.reduce((s, v) => s + v, 0) / samples.length;
    const variance = samples.reduce((s, v) => s + (v - mean) ** 2, 0) / samples.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('forks an independent deterministic stream', () => {
    const fa = forkRandom(createRandom(5));
    const fb = forkRandom(createRandom(5));
    expect(fa.nextUint32()).toBe(fb.nextUint32());
    expect(forkRandom(createRandom(6)).nextUint32()).not.toBe(fa.nextUint32());
  });
});

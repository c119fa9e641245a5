import { growNuclei } from '../../../src/engines/builtin/grow-nuclei';
import { addPaleNuclei } from '../../../src/engines/builtin/pale-nuclei';
import { recoverLeftovers } from '../../../src/engines/builtin/recover-leftovers';

const [W, H] = [60, 40];

function disc(cx: number, cy: number, r: number): (x: number, y: number) => boolean {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function count(labels: Int32Array, label: number): number {
  let n = 0;
  for (const l of labels) if (l === label) n++;
  return n;
}

describe('recoverLeftovers', () => {
  it('turns an unclaimed nucleus-wide body into a new label and drops a thin halo', () => {
    const labels = new Int32Array(W * H);
    const mask = new Uint8Array(W * H);
    const kept = disc(15, 20, 6);
    const halo = disc(15, 20, 8);
    const pale = disc(42, 20, 7);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (kept(x, y)) labels[i] = 1;
      if (halo(x, y) || pale(x, y)) mask[i] = 1;
    }
    const keptArea = count(labels, 1);
    const total = recoverLeftovers(labels, 1, mask, W, H, 3, 0, 40);
    expect(total).toBe(2);
    expect(labels[20 * W + 42]).toBe(2);
    // The 2 px halo ring around label 1 is thinner than the opening: nothing of it comes back.
    expect(count(labels, 2)).toBeGreaterThan(100);
    expect(labels[20 * W + 22]).toBe(0);
    expect(count(labels, 1)).toBe(keptArea);
  });

  it('ignores leftovers smaller than minArea', () => {
    const labels = new Int32Array(W * H);
    const mask = new Uint8Array(W * H);
    const small = disc(30, 20, 4);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (small(x, y)) mask[y * W + x] = 1;
    expect(recoverLeftovers(labels, 0, mask, W, H, 2, 0, 100)).toBe(0);
    expect(labels.every((l) => l === 0)).toBe(true);
  });
});

describe('growNuclei', () => {
  it('grows each nucleus by the radius, splitting the gap between neighbours, and only into stained pixels', () => {
    const labels = new Int32Array(W * H);
    for (let y = 15; y < 25; y++) {
      for (let x = 10; x < 20; x++) labels[y * W + x] = 1;
      for (let x = 24; x < 34; x++) labels[y * W + x] = 2;
    }
    const stained = new Uint8Array(W * H).fill(1);
    for (let y = 0; y < H; y++) for (let x = 0; x < 8; x++) stained[y * W + x] = 0;
    growNuclei(labels, W, H, 3, stained);
    expect(labels[20 * W + 8]).toBe(1); // 2 px left of nucleus 1
    expect(labels[20 * W + 7]).toBe(0); // unstained
    expect(labels[20 * W + 21]).toBe(1); // gap of 4 px shared: 2 each
    expect(labels[20 * W + 22]).toBe(2);
    expect(labels[20 * W + 36]).toBe(2);
    expect(labels[20 * W + 37]).toBe(0); // beyond the radius
    expect(labels[11 * W + 15]).toBe(0);
    expect(labels[12 * W + 15]).toBe(1);
  });
});

describe('addPaleNuclei', () => {
  it('adds isolated low-contrast bodies of nucleus size, not ones touching the mask or too small', () => {
    const mask = new Uint8Array(W * H);
    const smooth = new Float32Array(W * H);
    const local = new Float32Array(W * H);
    const dark = disc(12, 20, 6);
    const paleTouching = disc(22, 20, 6);
    const paleAlone = disc(45, 20, 6);
    const speck = disc(55, 5, 2);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (dark(x, y)) {
        mask[i] = 1;
        smooth[i] = 0.5;
      } else if (paleTouching(x, y) || paleAlone(x, y) || speck(x, y)) smooth[i] = 0.09;
    }
    addPaleNuclei(mask, smooth, local, W, H, 0.05, 0.03, 50);
    expect(mask[20 * W + 45]).toBe(1);
    expect(mask[20 * W + 24]).toBe(0);
    expect(mask[5 * W + 55]).toBe(0);
  });
});

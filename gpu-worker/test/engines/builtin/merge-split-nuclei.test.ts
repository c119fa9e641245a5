import { mergeSplitNuclei } from '../../../src/engines/builtin/merge-split-nuclei';

const [W, H] = [60, 40];

/** Labels for pixels inside a disc: `label(x)` picks the label by column. */
function paint(labels: Int32Array, cx: number, cy: number, r: number, label: (x: number) => number): void {
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) labels[y * W + x] = label(x);
  }
}

function distinct(labels: Int32Array): number {
  return new Set(Array.from(labels).filter((l) => l > 0)).size;
}

describe('mergeSplitNuclei', () => {
  it('merges the two halves of one nucleus cut across its middle', () => {
    const labels = new Int32Array(W * H);
    paint(labels, 30, 20, 12, (x) => (x < 30 ? 1 : 2));
    const smooth = new Float32Array(W * H).fill(0.5);
    const kept = mergeSplitNuclei(labels, 2, smooth, W, H, 1.1, 0.8, new Float32Array(W * H), 0.3);
    expect(kept).toBe(1);
    expect(distinct(labels)).toBe(1);
    expect(labels[20 * W + 25]).toBe(1);
    expect(labels[20 * W + 35]).toBe(1);
  });

  it('keeps two round nuclei that touch at a narrow neck', () => {
    const labels = new Int32Array(W * H);
    paint(labels, 19, 20, 10, () => 1);
    paint(labels, 39, 20, 10, () => 2);
    // A three-pixel bridge where the discs nearly touch, split between the two.
    for (let y = 19; y <= 21; y++) labels[y * W + 29] = 1;
    const smooth = new Float32Array(W * H).fill(0.5);
    const kept = mergeSplitNuclei(labels, 2, smooth, W, H, 1.1, 0.8, new Float32Array(W * H), 0.3);
    expect(kept).toBe(2);
  });

  it('keeps halves separated by an intensity valley', () => {
    const labels = new Int32Array(W * H);
    paint(labels, 30, 20, 12, (x) => (x < 30 ? 1 : 2));
    const smooth = new Float32Array(W * H).fill(0.5);
    for (let y = 0; y < H; y++) { smooth[y * W + 29] = 0.2; smooth[y * W + 30] = 0.2; }
    expect(mergeSplitNuclei(labels, 2, smooth, W, H, 1.1, 0.8, new Float32Array(W * H), 0.3)).toBe(2);
  });

  it('never merges DAB-stained pieces, and merges nothing when off', () => {
    const labels = new Int32Array(W * H);
    paint(labels, 30, 20, 12, (x) => (x < 30 ? 1 : 2));
    const smooth = new Float32Array(W * H).fill(0.5);
    const dab = new Float32Array(W * H).fill(0.5);
    expect(mergeSplitNuclei(labels, 2, smooth, W, H, 1.1, 0.8, dab, 0.3)).toBe(2);
    expect(mergeSplitNuclei(labels, 2, smooth, W, H, 0, 0.8, new Float32Array(W * H), 0.3)).toBe(2);
    expect(distinct(labels)).toBe(2);
  });
});

import { appendComponents, fillHoles, labelComponents, removeSmallComponents, splitLabelPieces } from '../../../src/engines/builtin/regions';
import { random, randomMask, referenceLabels } from './exact-references';

// The run-length region operations must equal plain flooding exactly.

describe('labelComponents and fillHoles', () => {
  it.each([4, 8] as const)('label exactly like plain flooding (%d-connected)', (connectivity) => {
    const [w, h] = [37, 23];
    const mask = randomMask(w, h, 0.55, connectivity);
    const { labels, count } = labelComponents(mask, w, h, connectivity);
    const expected = referenceLabels(mask, w, h, connectivity === 8);
    expect(Array.from(labels)).toEqual(Array.from(expected));
    expect(count).toBe(Math.max(...expected));
  });

  it('fill exactly the enclosed background regions up to the area limit', () => {
    const [w, h] = [37, 23];
    const mask = randomMask(w, h, 0.7, 5);
    const background = referenceLabels(mask.map((v) => 1 - v), w, h, false);
    const area = new Map<number, number>();
    const edge = new Set<number>();
    background.forEach((l, i) => {
      area.set(l, (area.get(l) ?? 0) + 1);
      const x = i % w;
      if (x === 0 || x === w - 1 || i < w || i >= w * (h - 1)) edge.add(l);
    });
    for (const limit of [1, 3, 1000]) {
      const filled = Uint8Array.from(mask);
      fillHoles(filled, w, h, limit);
      const expected = mask.map((v, i) => (v || (!edge.has(background[i]) && (area.get(background[i]) ?? 0) <= limit) ? 1 : 0));
      expect(Array.from(filled)).toEqual(Array.from(expected));
    }
  });
});

describe('run-length region operations equal plain flooding', () => {
  const [w, h] = [41, 29];

  it('splitLabelPieces: 8-connected pieces of one label, renumbered in raster order, small ones dropped', () => {
    const next = random(17);
    // Three labels in patches: pieces of a label touch each other and other labels.
    const labels = Int32Array.from({ length: w * h }, () => (next() < 0.35 ? 0 : 1 + Math.floor(next() * 3)));
    for (const minArea of [1, 4]) {
      const expected = new Int32Array(w * h);
      let kept = 0;
      const seen = new Uint8Array(w * h);
      for (let s = 0; s < w * h; s++) {
        if (!labels[s] || seen[s]) continue;
        const piece = referenceLabels(labels.map((l) => (l === labels[s] ? 1 : 0)) as unknown as Uint8Array, w, h, true);
        const pixels = Array.from(piece.keys()).filter((i) => piece[i] === piece[s]);
        pixels.forEach((i) => (seen[i] = 1));
        if (pixels.length >= minArea) {
          kept++;
          pixels.forEach((i) => (expected[i] = kept));
        }
      }
      const got = Int32Array.from(labels);
      expect(splitLabelPieces(got, w, h, minArea)).toBe(kept);
      expect(Array.from(got)).toEqual(Array.from(expected));
    }
  });

  it('removeSmallComponents and appendComponents keep exactly the 8-connected components of at least minArea px', () => {
    const mask = randomMask(w, h, 0.45, 23);
    const components = referenceLabels(mask, w, h, true);
    const area = new Map<number, number>();
    components.forEach((l) => area.set(l, (area.get(l) ?? 0) + 1));
    const big = (i: number): boolean => components[i] > 0 && (area.get(components[i]) ?? 0) >= 5;
    const cleaned = Uint8Array.from(mask);
    removeSmallComponents(cleaned, w, h, 5);
    expect(Array.from(cleaned)).toEqual(Array.from(mask, (_, i) => (big(i) ? 1 : 0)));

    // Appended after label 7, numbered in raster order, only where no label is yet.
    const labels = Int32Array.from(randomMask(w, h, 0.2, 5), (v) => v * 3);
    const expected = Int32Array.from(labels);
    const number = new Map<number, number>();
    let last = 7;
    components.forEach((l, i) => {
      if (!big(i)) return;
      if (!number.has(l)) number.set(l, ++last);
      if (!expected[i]) expected[i] = number.get(l) as number;
    });
    expect(appendComponents(mask, w, h, 5, labels, 7)).toBe(last);
    expect(Array.from(labels)).toEqual(Array.from(expected));
  });
});

/** Seeded random planes and plain reference algorithms for the builtin engine's exactness tests. */

export function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
}

export function randomMask(width: number, height: number, density: number, seed: number): Uint8Array {
  const next = random(seed);
  return Uint8Array.from({ length: width * height }, () => (next() < density ? 1 : 0));
}

/** Plain breadth-first labelling in raster order of first pixels. */
export function referenceLabels(mask: Uint8Array, w: number, h: number, eight: boolean): Int32Array {
  const labels = new Int32Array(w * h);
  let count = 0;
  for (let s = 0; s < w * h; s++) {
    if (!mask[s] || labels[s]) continue;
    labels[s] = ++count;
    const stack = [s];
    while (stack.length) {
      const p = stack.pop() as number;
      const x = p % w;
      const y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        if ((!eight && dx && dy) || (!dx && !dy)) continue;
        const [xx, yy] = [x + dx, y + dy];
        if (xx < 0 || yy < 0 || xx >= w || yy >= h || !mask[yy * w + xx] || labels[yy * w + xx]) continue;
        labels[yy * w + xx] = count;
        stack.push(yy * w + xx);
      }
    }
  }
  return labels;
}

/** Test helpers that read label images the slow, obvious way. */

/** Pairs of different non-zero ids that meet as 4-neighbours (or 8 with diagonal), as "a-b" keys with a < b. */
export function touchingIdPairs(labels: Int32Array, width: number, height: number, diagonal = false): Set<string> {
  const pairs = new Set<string>();
  const add = (a: number, b: number): void => {
    if (a !== 0 && b !== 0 && a !== b) pairs.add(a < b ? `${a}-${b}` : `${b}-${a}`);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const id = labels[y * width + x];
      if (x + 1 < width) add(id, labels[y * width + x + 1]);
      if (y + 1 < height) add(id, labels[(y + 1) * width + x]);
      if (diagonal && y + 1 < height && x + 1 < width) add(id, labels[(y + 1) * width + x + 1]);
      if (diagonal && y + 1 < height && x > 0) add(id, labels[(y + 1) * width + x - 1]);
    }
  }
  return pairs;
}

/** Number of 8-connected components of pixels where `inside` is true. */
export function countComponents8(inside: Uint8Array, width: number, height: number): number {
  const seen = new Uint8Array(inside.length);
  const stack: number[] = [];
  let count = 0;
  for (let start = 0; start < inside.length; start++) {
    if (!inside[start] || seen[start]) continue;
    count++;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const q = ny * width + nx;
          if (inside[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
  }
  return count;
}

/** Mean R, G, B over the pixels with the given label. */
export function meanColour(data: Uint8Array, labels: Int32Array, id: number): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  for (let p = 0; p < labels.length; p++) {
    if (labels[p] !== id) continue;
    r += data[p * 3];
    g += data[p * 3 + 1];
    b += data[p * 3 + 2];
    n++;
  }
  return [r / n, g / n, b / n];
}

/** Neighbour offsets (dx, dy) of 8-connectivity; the first four are the 4-neighbours. */
export const NEIGHBOURS_8 = [1, 0, -1, 0, 0, 1, 0, -1, 1, 1, -1, -1, 1, -1, -1, 1] as const;
const N8 = Int8Array.from(NEIGHBOURS_8);

/**
 * Connected components of mask pixels (non-zero), labelled 1..count in raster order of their
 * first pixel; `connectivity` 4 or 8. Scratch is one Int32Array queue, no per-pixel objects.
 */
export function labelComponents(mask: Uint8Array, width: number, height: number, connectivity: 4 | 8 = 8): { labels: Int32Array; count: number } {
  const labels = new Int32Array(width * height);
  const queue = new Int32Array(width * height);
  const nNeighbours = connectivity === 8 ? 8 : 4;
  let count = 0;
  for (let start = 0; start < labels.length; start++) {
    if (!mask[start] || labels[start]) continue;
    count++;
    labels[start] = count;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    while (head < tail) {
      const p = queue[head++];
      const x = p % width;
      const y = (p - x) / width;
      for (let k = 0; k < nNeighbours; k++) {
        const xx = x + N8[k * 2];
        const yy = y + N8[k * 2 + 1];
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const q = yy * width + xx;
        if (!mask[q] || labels[q]) continue;
        labels[q] = count;
        queue[tail++] = q;
      }
    }
  }
  return { labels, count };
}

/**
 * Fill holes of a binary mask in place: background regions (4-connected) that do not touch the
 * image edge and are at most maxHoleArea pixels become foreground (pale nuclear centres).
 */
export function fillHoles(mask: Uint8Array, width: number, height: number, maxHoleArea: number): void {
  const inverse = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) inverse[i] = mask[i] ? 0 : 1;
  const { labels, count } = labelComponents(inverse, width, height, 4);
  const area = new Int32Array(count + 1);
  const touchesEdge = new Uint8Array(count + 1);
  for (let i = 0; i < labels.length; i++) area[labels[i]]++;
  for (let x = 0; x < width; x++) {
    touchesEdge[labels[x]] = 1;
    touchesEdge[labels[(height - 1) * width + x]] = 1;
  }
  for (let y = 0; y < height; y++) {
    touchesEdge[labels[y * width]] = 1;
    touchesEdge[labels[y * width + width - 1]] = 1;
  }
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l && !touchesEdge[l] && area[l] <= maxHoleArea) mask[i] = 1;
  }
}

/** Pixel count of each label 0..count (index 0: background). */
export function labelAreas(labels: Int32Array, count: number): Int32Array {
  const area = new Int32Array(count + 1);
  for (let i = 0; i < labels.length; i++) area[labels[i]]++;
  return area;
}

/** Renumber labels 1..kept in raster order, dropping those where keep[label] is 0. */
export function relabel(labels: Int32Array, count: number, keep: Uint8Array): number {
  const map = new Int32Array(count + 1);
  let next = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!l) continue;
    if (!keep[l]) {
      labels[i] = 0;
      continue;
    }
    if (!map[l]) map[l] = ++next;
    labels[i] = map[l];
  }
  return next;
}

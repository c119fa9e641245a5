import type { ScaleSpaceBlob } from './detect-scale-space-blobs';

/** Grid cell edge for the overlap search, in sampled-region pixels. */
const CELL_PX = 32;

/**
 * Greedy non-maximum suppression across scales: best blob first, a blob is dropped when its centre
 * lies inside a kept blob or a kept blob's centre lies inside it (radius sqrt(2) * sigma). Blobs
 * rank by response x sqrt(sigma): chromatin grains inside a pale nucleus lose to the whole nucleus
 * even when a little darker, while a cluster blob, much weaker than the distinct nuclei it spans,
 * still loses to them.
 */
export function suppressOverlappingBlobs(blobs: readonly ScaleSpaceBlob[]): ScaleSpaceBlob[] {
  const score = blobs.map((b) => b.response * Math.sqrt(b.sigma));
  const order = blobs.map((_, i) => i).sort((a, b) => score[b] - score[a]);
  const cells = new Map<number, number[]>();
  const kept: ScaleSpaceBlob[] = [];
  const key = (cx: number, cy: number): number => cy * 65536 + cx;
  for (const index of order) {
    const blob = blobs[index];
    const radius = Math.SQRT2 * blob.sigma;
    if (overlapsKept(blob, radius, kept, cells, key)) continue;
    const id = kept.length;
    kept.push(blob);
    // Register the kept disc in every cell it touches, so a later centre inside it finds it.
    const x0 = cellOf(blob.x - radius);
    const x1 = cellOf(blob.x + radius);
    const y0 = cellOf(blob.y - radius);
    const y1 = cellOf(blob.y + radius);
    for (let cy = y0; cy <= y1; cy++) {
      for (let cx = x0; cx <= x1; cx++) {
        const k = key(cx, cy);
        const list = cells.get(k);
        if (list) list.push(id);
        else cells.set(k, [id]);
      }
    }
  }
  return kept;
}

function cellOf(coordinate: number): number {
  return Math.max(0, Math.floor(coordinate / CELL_PX));
}

function overlapsKept(
  blob: ScaleSpaceBlob,
  radius: number,
  kept: readonly ScaleSpaceBlob[],
  cells: ReadonlyMap<number, number[]>,
  key: (cx: number, cy: number) => number,
): boolean {
  // Every kept disc that could contain this centre, or whose centre this disc could contain,
  // is registered in some cell overlapping this disc.
  const x0 = cellOf(blob.x - radius);
  const x1 = cellOf(blob.x + radius);
  const y0 = cellOf(blob.y - radius);
  const y1 = cellOf(blob.y + radius);
  for (let cy = y0; cy <= y1; cy++) {
    for (let cx = x0; cx <= x1; cx++) {
      const list = cells.get(key(cx, cy));
      if (!list) continue;
      for (const id of list) {
        const other = kept[id];
        const reach = Math.max(radius, Math.SQRT2 * other.sigma);
        const dx = other.x - blob.x;
        const dy = other.y - blob.y;
        if (dx * dx + dy * dy < reach * reach) return true;
      }
    }
  }
  return false;
}

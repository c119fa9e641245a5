import type { Raster } from '../image/raster';
import type { SyntheticIhc } from './generate-synthetic-ihc';

/** A truth nucleus centre in the project's points format (pixel coordinates, origin top-left). */
export interface SyntheticTruthPoint {
  readonly x: number;
  readonly y: number;
  readonly label: 'positive' | 'negative';
}

/**
 * Truth as a DeepLIIF-style segmentation mask: red positive, blue negative, black background,
 * green 1-px boundary inside each cell where it meets background (4-neighbours) and, between two
 * touching cells, on the lower id's side wherever they meet (8-neighbours), so 8-connected red/blue
 * components are exactly the truth cells.
 */
export function renderTruthMask(truth: SyntheticIhc): Raster {
  const { width, height } = truth.image;
  const labels = truth.labels;
  const positive = new Uint8Array(truth.cells.length + 1);
  for (const cell of truth.cells) positive[cell.id] = cell.positive ? 1 : 0;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const id = labels[p];
      if (id === 0) continue;
      let boundary = false;
      for (let dy = -1; dy <= 1 && !boundary; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if ((dx === 0 && dy === 0) || nx < 0 || nx >= width) continue;
          const other = labels[ny * width + nx];
          if (other === 0 ? dx === 0 || dy === 0 : other > id) {
            boundary = true;
            break;
          }
        }
      }
      const o = p * 3;
      if (boundary) data[o + 1] = 255;
      else if (positive[id] === 1) data[o] = 255;
      else data[o + 2] = 255;
    }
  }
  return { width, height, channels: 3, data };
}

/** Truth nucleus centres with their class, in the points format of the data README. */
export function truthToPoints(truth: SyntheticIhc): SyntheticTruthPoint[] {
  return truth.cells.map((cell) => ({ x: cell.x, y: cell.y, label: cell.positive ? 'positive' : 'negative' }));
}

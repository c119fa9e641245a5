/** Clockwise 8-neighbourhood (dx, dy) as in DeepLIIF's get_cell_boundary, listed twice to wrap. */
const NEIGHBOUR_DX = [-1, 0, 1, 1, 1, 0, -1, -1, -1, 0, 1, 1, 1, 0, -1, -1];
const NEIGHBOUR_DY = [-1, -1, -1, 0, 1, 1, 1, 0, -1, -1, -1, 0, 1, 1, 1, 0];

function directionIndex(dx: number, dy: number): number {
  for (let k = 0; k < 8; k++) if (NEIGHBOUR_DX[k] === dx && NEIGHBOUR_DY[k] === dy) return k;
  return -1;
}

/**
 * Moore-neighbour trace of the outer contour of cell `id`, starting at its first pixel in raster
 * order and going clockwise (DeepLIIF get_cell_boundary, Jacob's stopping criterion). Returns
 * flat [x0, y0, x1, y1, ...] pixel coordinates, the start not repeated.
 */
export function traceBoundary(labels: Int32Array, width: number, height: number, id: number, start: number): number[] {
  const member = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === id;
  let y = (start / width) | 0;
  let x = start - y * width;
  let idx = 6;
  while (idx >= 0 && !member(x + NEIGHBOUR_DX[idx], y + NEIGHBOUR_DY[idx])) idx--;
  if (idx < 0) return [x, y];
  let px = x + NEIGHBOUR_DX[idx];
  let py = y + NEIGHBOUR_DY[idx];
  const firstPrevX = px, firstPrevY = py, startX = x, startY = y;
  const points: number[] = [x, y];
  for (;;) {
    let k = directionIndex(px - x, py - y) + 1;
    while (!member(x + NEIGHBOUR_DX[k], y + NEIGHBOUR_DY[k])) k++;
    px = x;
    py = y;
    x += NEIGHBOUR_DX[k];
    y += NEIGHBOUR_DY[k];
    if (px === firstPrevX && py === firstPrevY && x === startX && y === startY) break;
    points.push(x, y);
  }
  // The loop ends on (previous, start) again: `points` holds start .. previous, as DeepLIIF's boundary[1:-1].
  return points;
}

function sameSign(a: number, b: number): boolean {
  return a === b || (a > 0 && b > 0) || (a < 0 && b < 0);
}

/** DeepLIIF make_simple_contour: keep only the points where the step direction changes. */
export function simplifyContour(flat: number[]): [number, number][] {
  const n = flat.length / 2;
  const simple: [number, number][] = [[flat[0], flat[1]]];
  if (n === 1) return simple;
  const keep = (i: number, prev: number, next: number): void => {
    const dx0 = flat[2 * i] - flat[2 * prev], dy0 = flat[2 * i + 1] - flat[2 * prev + 1];
    const dx1 = flat[2 * next] - flat[2 * i], dy1 = flat[2 * next + 1] - flat[2 * i + 1];
    if (!sameSign(dx0, dx1) || !sameSign(dy0, dy1)) simple.push([flat[2 * i], flat[2 * i + 1]]);
  };
  for (let i = 1; i < n - 1; i++) keep(i, i - 1, i + 1);
  keep(n - 1, n - 2, 0);
  return simple;
}

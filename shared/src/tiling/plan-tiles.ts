/** A rectangle in pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * One tile: the engine reads `read` (core plus a context margin on every side, which may extend past
 * the image and is then mirror-padded) and the stitcher keeps only `core`. Cores partition the image,
 * so every output pixel comes from exactly one tile, computed with context around it: no seams.
 */
export interface TilePlan {
  readonly index: number;
  readonly row: number;
  readonly column: number;
  readonly core: Rect;
  readonly read: Rect;
}

/** Plan tiles over a width x height image: square cores of `coreSize` px, `margin` px of context. */
export function planTiles(width: number, height: number, coreSize: number, margin: number): TilePlan[] {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`Expected a positive integer image size but received ${width} x ${height}`);
  }
  if (!(Number.isInteger(coreSize) && coreSize > 0 && Number.isInteger(margin) && margin >= 0)) {
    throw new RangeError(`Expected a positive tile core and a non-negative margin but received ${coreSize}, ${margin}`);
  }
  const columns = Math.ceil(width / coreSize);
  const rows = Math.ceil(height / coreSize);
  const tiles: TilePlan[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const x = column * coreSize;
      const y = row * coreSize;
      const core = { x, y, width: Math.min(coreSize, width - x), height: Math.min(coreSize, height - y) };
      // The read window always has the full tile size, even at the right/bottom edge, so a model
      // with a fixed input size gets a full tile (mirror-padded past the image).
      const read = { x: x - margin, y: y - margin, width: coreSize + 2 * margin, height: coreSize + 2 * margin };
      tiles.push({ index: tiles.length, row, column, core, read });
    }
  }
  return tiles;
}

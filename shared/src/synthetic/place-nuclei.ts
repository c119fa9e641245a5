import { RestainError } from '../errors';
import { boundingHalfExtents, ellipsesSeparated, radialExtent, type Ellipse } from './ellipse-geometry';
import type { Random } from './random';
import type { ResolvedSyntheticOptions } from './synthetic-options';

/** A placed nucleus before rasterisation; clusterId groups nuclei that touch on purpose. */
export interface PlacedNucleus extends Ellipse {
  readonly clusterId: number | null;
}

const MAX_ASPECT = 1.5;
const SINGLE_ATTEMPTS = 600;
const CLUSTER_RESTARTS = 300;
const MEMBER_ATTEMPTS = 24;

/** Cluster sizes (2 or 3) adding up to the clustered cell count; a lone remainder of 1 is dropped. */
function clusterSizes(random: Random, clustered: number): number[] {
  const sizes: number[] = [];
  let remaining = clustered < 2 ? 0 : clustered;
  while (remaining > 0) {
    const size = remaining === 3 || (remaining >= 5 && random.next() < 0.25) ? 3 : 2;
    sizes.push(size);
    remaining -= size;
  }
  return sizes;
}

/**
 * Places nuclei at random over tissue: single nuclei keep a gap to every other nucleus, clustered
 * ones overlap their partner by a few pixels so the two label regions share a boundary.
 */
export function placeNuclei(
  random: Random,
  options: ResolvedSyntheticOptions,
  isTissue: (x: number, y: number) => boolean,
): PlacedNucleus[] {
  const { width, height, pixelSizeMicrons: ps, cellCount } = options;
  const gapPx = Math.max(2, 0.5 / ps);
  const maxOverlapPx = Math.max(1.5, 0.6 / ps);
  const maxRadius = (options.maxDiameterMicrons / 2 / ps) * Math.sqrt(MAX_ASPECT);
  const cellSize = 2 * maxRadius + gapPx + 1;
  const gridColumns = Math.ceil(width / cellSize);
  const grid: number[][] = Array.from({ length: gridColumns * Math.ceil(height / cellSize) }, () => []);
  const placed: PlacedNucleus[] = [];

  const shape = (x: number, y: number): Ellipse => {
    const diameter = random.between(options.minDiameterMicrons, options.maxDiameterMicrons) / ps;
    const aspect = 1 + (MAX_ASPECT - 1) * random.next() ** 1.5;
    const r = diameter / 2;
    return { x, y, radiusX: r * Math.sqrt(aspect), radiusY: r / Math.sqrt(aspect), angle: random.next() * Math.PI };
  };
  const fits = (e: Ellipse): boolean => {
    const { halfWidth, halfHeight } = boundingHalfExtents(e);
    return e.x - halfWidth >= 1 && e.y - halfHeight >= 1 && e.x + halfWidth <= width - 2 && e.y + halfHeight <= height - 2 && isTissue(e.x, e.y);
  };
  /** Clear of every placed nucleus except members of `cluster`, which may touch by up to maxOverlapPx. */
  const clear = (e: Ellipse, cluster: PlacedNucleus[]): boolean => {
    const gx = Math.floor(e.x / cellSize);
    const gy = Math.floor(e.y / cellSize);
    for (let cy = Math.max(0, gy - 1); cy <= gy + 1; cy++) {
      for (let cx = Math.max(0, gx - 1); cx < Math.min(gridColumns, gx + 2); cx++) {
        const bucket = grid[cy * gridColumns + cx];
        if (bucket === undefined) continue;
        for (const index of bucket) if (!ellipsesSeparated(placed[index], e, gapPx)) return false;
      }
    }
    return cluster.every((member) => ellipsesSeparated(member, e, -maxOverlapPx));
  };
  const commit = (nuclei: PlacedNucleus[]): void => {
    for (const n of nuclei) {
      grid[Math.floor(n.y / cellSize) * gridColumns + Math.floor(n.x / cellSize)].push(placed.length);
      placed.push(n);
    }
  };
  const fail = (): never => {
    throw new RestainError(
      'INVALID_ARGUMENT',
      `Expected a cell count that fits a ${width}x${height} px image at ${ps} µm/px with ${gapPx.toFixed(1)} px gaps ` +
        `but received ${cellCount}: placed ${placed.length}; lower cellCount, cellDensityPerMm2 or emptyAreaFraction`,
    );
  };

  const sizes = clusterSizes(random, Math.round(options.touchingPairFraction * cellCount));
  sizes.forEach((size, clusterId) => {
    for (let restart = 0; restart < CLUSTER_RESTARTS; restart++) {
      const first = shape(random.next() * width, random.next() * height);
      if (!fits(first) || !clear(first, [])) continue;
      const members: PlacedNucleus[] = [{ ...first, clusterId }];
      for (let attempt = 0; attempt < MEMBER_ATTEMPTS * size && members.length < size; attempt++) {
        const partner = members[random.int(members.length)];
        const theta = random.next() * 2 * Math.PI;
        const candidate = shape(0, 0);
        const overlap = random.between(1.5, maxOverlapPx);
        const distance = radialExtent(partner, theta) + radialExtent(candidate, theta + Math.PI) - overlap;
        const e = { ...candidate, x: partner.x + distance * Math.cos(theta), y: partner.y + distance * Math.sin(theta) };
        const others = members.filter((m) => m !== partner);
        // Off the centre line elongated nuclei may cut deeper than planned: bound that too.
        if (fits(e) && clear(e, others) && ellipsesSeparated(partner, e, -2 * maxOverlapPx)) members.push({ ...e, clusterId });
      }
      if (members.length === size) {
        commit(members);
        return;
      }
    }
    fail();
  });
  while (placed.length < cellCount) {
    let done = false;
    for (let attempt = 0; attempt < SINGLE_ATTEMPTS && !done; attempt++) {
      const e = shape(random.next() * width, random.next() * height);
      if (fits(e) && clear(e, [])) {
        commit([{ ...e, clusterId: null }]);
        done = true;
      }
    }
    if (!done) fail();
  }
  return placed;
}

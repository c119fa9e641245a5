import { labelComponents, markBackground, segToMask, simplifyContour, traceBoundary } from '@restain/shared';
import type { ResultPlanes } from './planes';
import { labelSegmentation, traceContours } from './segmentation-stage';
import { syntheticMaps } from './synthetic-result.test-support';

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The labelled segmentation computed pixel by pixel over a full label map (the straightforward way). */
function reference(planes: ResultPlanes, segThresh: number) {
  const { width, height, marker, dab } = planes;
  const mask = segToMask({ width, height, channels: planes.segChannels, data: planes.seg }, segThresh).votes;
  const labels = new Int32Array(width * height);
  markBackground(mask, width, height, labels);
  const stats = labelComponents(mask, width, labels);
  const n = stats.count + 1;
  const sumMarker = new Float64Array(n), maxMarker = new Float64Array(n), sumDab = new Float64Array(n);
  const edges: number[][] = Array.from({ length: n }, () => []);
  const background = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const c = labels[i];
      if (c === 0) continue;
      if (marker) {
        sumMarker[c] += marker[i];
        maxMarker[c] = Math.max(maxMarker[c], marker[i]);
      }
      if (dab) sumDab[c] += dab[i];
      if (background(x, y - 1) || background(x - 1, y) || background(x + 1, y) || background(x, y + 1)) edges[c].push(i);
    }
  }
  const boundaries = [];
  for (let c = 1; c < n; c++) boundaries.push(simplifyContour(traceBoundary(labels, width, height, c, stats.firstPixel[c])));
  const { firstPixel: _first, ...measures } = stats;
  return { ...measures, sumMarker: marker ? sumMarker : null, maxMarker: marker ? maxMarker : null, sumDab: dab ? sumDab : null, edges, boundaries };
}

function expectSame(planes: ResultPlanes, segThresh: number): void {
  const got = labelSegmentation(planes, segThresh);
  const want = reference(planes, segThresh);
  expect(got.count).toBe(want.count);
  for (const key of ['area', 'positiveVotes', 'negativeVotes', 'sumX', 'sumY', 'minX', 'minY', 'maxX', 'maxY', 'sumMarker', 'maxMarker', 'sumDab'] as const) {
    expect([key, got[key]]).toEqual([key, want[key]]);
  }
  expect(traceContours(planes, got)).toEqual(want.boundaries);
  expect(got.edgeStart[1]).toBe(0);
  for (let c = 1; c <= got.count; c++) expect(Array.from(got.edgePixels.subarray(got.edgeStart[c], got.edgeStart[c + 1]))).toEqual(want.edges[c]);
  expect(got.edgePixels.length).toBe(got.edgeStart[got.count + 1]);
}

describe('labelSegmentation', () => {
  it('matches a pixel-by-pixel labelling of a synthetic result at every kind of seg threshold', () => {
    const maps = syntheticMaps();
    const planes: ResultPlanes = {
      width: maps.seg.width, height: maps.seg.height, seg: maps.seg.data, segChannels: 3,
      marker: maps.marker.data.filter((_, i) => i % 3 === 0), dab: maps.dab.data,
    };
    for (const t of [0, 60, 120, 180, 254]) expectSame(planes, t);
  });

  it('matches on random Segs of odd sizes, with and without Marker and DAB maps, RGB and RGBA', () => {
    const rnd = random(99);
    for (let trial = 0; trial < 150; trial++) {
      const width = 1 + Math.floor(rnd() * 37), height = 1 + Math.floor(rnd() * 23), channels = trial % 2 === 0 ? 3 : 4;
      const seg = new Uint8Array(width * height * channels).map(() => (rnd() < 0.45 ? 0 : Math.floor(rnd() * 256)));
      const grey = () => new Uint8Array(width * height).map(() => Math.floor(rnd() * 256));
      const planes: ResultPlanes = { width, height, seg, segChannels: channels as 3 | 4, marker: rnd() < 0.7 ? grey() : null, dab: rnd() < 0.7 ? grey() : null };
      expectSame(planes, Math.floor(rnd() * 255));
    }
  });

  it('returns results that later calls (which reuse the label buffer, at any size) leave untouched', () => {
    const maps = syntheticMaps(320, 240, 3);
    const planes: ResultPlanes = { width: 320, height: 240, seg: maps.seg.data, segChannels: 3, marker: null, dab: maps.dab.data };
    const first = labelSegmentation(planes, 100);
    const copy = structuredClone(first);
    labelSegmentation(planes, 30);
    labelSegmentation({ ...planes, width: 240, height: 320 }, 100);
    expect(first).toEqual(copy);
    expectSame(planes, 100);
  });
});

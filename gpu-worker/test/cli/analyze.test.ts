import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { type SyntheticIhc, generateSyntheticIhc } from '@restain/shared';
import { runCli } from './run-cli';

interface PredictedCell {
  x: number;
  y: number;
  positive: boolean;
  area: number;
}

let dir: string;
let truth: SyntheticIhc;
let imagePath: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'restain-cli-'));
  truth = generateSyntheticIhc({ width: 900, height: 700, seed: 7, cellCount: 120, positiveFraction: 0.35, touchingPairFraction: 0.25 });
  imagePath = path.join(dir, 'synthetic.png');
  const { image } = truth;
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).png().toFile(imagePath);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

async function readCells(resultDir: string): Promise<PredictedCell[]> {
  const parsed = JSON.parse(await readFile(path.join(resultDir, 'cells.json'), 'utf8'));
  return Array.isArray(parsed) ? parsed : parsed.cells;
}

/** Each truth nucleus gets the nearest unused predicted centroid within half its smaller radius. */
function matchCells(predicted: PredictedCell[], known: SyntheticIhc = truth) {
  const used = new Set<number>();
  return known.cells.map((cell) => {
    let best = -1;
    let bestDistance = Math.min(cell.radiusX, cell.radiusY) * 0.6;
    predicted.forEach((p, index) => {
      const distance = Math.hypot(p.x - cell.x, p.y - cell.y);
      if (!used.has(index) && distance <= bestDistance) {
        best = index;
        bestDistance = distance;
      }
    });
    if (best >= 0) used.add(best);
    return { cell, match: best >= 0 ? predicted[best] : null };
  });
}

describe('restain analyze on a synthetic image with known cells', () => {
  let resultDir: string;
  let stdout: string;

  beforeAll(async () => {
    resultDir = path.join(dir, 'result');
    const run = await runCli(['analyze', imagePath, '--out', resultDir, '--resolution', '40x']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    stdout = run.stdout;
  });

  it('writes every DeepLIIF output and our own, and nothing half-written', async () => {
    const files = (await readdir(resultDir)).sort();
    expect(files).toEqual(
      [
        'DAB.png', 'DAPI.png', 'Hema.png', 'Input.png', 'Lap2.png', 'Marker.png', 'Seg.png', 'SegOverlaid.png', 'SegRefined.png',
        'cells.csv', 'cells.geojson', 'cells.json', 'manifest.json', 'scoring.json',
      ].sort(),
    );
    for (const name of ['Hema.png', 'Seg.png', 'SegRefined.png', 'SegOverlaid.png']) {
      const meta = await sharp(path.join(resultDir, name)).metadata();
      expect([meta.width, meta.height]).toEqual([900, 700]);
    }
    expect(stdout).toMatch(/synthetic\.png: \d+ cells/);
  });

  it('counts cells within 3% of the truth', async () => {
    const scoring = JSON.parse(await readFile(path.join(resultDir, 'scoring.json'), 'utf8'));
    for (const key of ['num_total', 'num_pos', 'num_neg', 'percent_pos', 'prob_thresh', 'seg_thresh', 'size_thresh', 'size_thresh_upper', 'marker_thresh']) {
      expect(scoring).toHaveProperty(key);
    }
    expect(Math.abs(scoring.num_total - truth.cells.length)).toBeLessThanOrEqual(Math.ceil(truth.cells.length * 0.03));
    const truePositives = truth.cells.filter((cell) => cell.positive).length;
    expect(Math.abs(scoring.num_pos - truePositives)).toBeLessThanOrEqual(Math.ceil(truth.cells.length * 0.03));
  });

  it('labels every isolated nucleus right and splits touching pairs', async () => {
    const matches = matchCells(await readCells(resultDir));
    const isolated = matches.filter(({ cell }) => cell.clusterId === null);
    const clustered = matches.filter(({ cell }) => cell.clusterId !== null);
    expect(clustered.length).toBeGreaterThan(10);
    for (const { cell, match } of isolated) {
      expect({ id: cell.id, found: match !== null, positive: match?.positive }).toEqual({ id: cell.id, found: true, positive: cell.positive });
    }
    // Each nucleus of a touching cluster was found as its own cell (one-to-one matching).
    expect(clustered.filter(({ match }) => match === null).length).toBeLessThanOrEqual(Math.ceil(clustered.length * 0.03));
  });

  it('records the input checksum, engine, parameters and stage timings in manifest.json', async () => {
    const manifest = JSON.parse(await readFile(path.join(resultDir, 'manifest.json'), 'utf8'));
    const expectedSha = require('node:crypto').createHash('sha256').update(await readFile(imagePath)).digest('hex');
    expect(manifest.input.sha256).toBe(expectedSha);
    expect(manifest.engine.name).toBe('restain-nuclei');
    expect(manifest.parameters.postprocess.segThresh).toBe(120);
    expect(manifest.parameters.postprocess.sizeThreshRelative).toBe(0.35);
    expect(manifest.scale.requested).toBe('40x');
    expect(Object.keys(manifest.timingsMs)).toEqual(expect.arrayContaining(['decode', 'engine', 'encode', 'postprocess']));
  });

  it('re-scores without the engine: a higher size threshold drops the small cells', async () => {
    const before = JSON.parse(await readFile(path.join(resultDir, 'scoring.json'), 'utf8'));
    const cells = await readCells(resultDir);
    const areas = cells.map((cell) => cell.area).sort((a, b) => a - b);
    const median = areas[Math.floor(areas.length / 2)];
    const run = await runCli(['rescore', resultDir, '--size-thresh', String(median)]);
    expect(run.code).toBe(0);
    const after = JSON.parse(await readFile(path.join(resultDir, 'scoring.json'), 'utf8'));
    expect(after.size_thresh).toBe(median);
    expect(after.num_total).toBe(areas.filter((area) => area > median).length);
    expect(after.num_total).toBeLessThan(before.num_total);
    const manifest = JSON.parse(await readFile(path.join(resultDir, 'manifest.json'), 'utf8'));
    expect(manifest.parameters.postprocess.sizeThresh).toBe(median);
    expect((await readdir(resultDir)).filter((name) => name.startsWith('.restain-partial'))).toEqual([]);
  });

  it('re-scores with --size-thresh-relative: drops cells under the fraction of the median cell area, records it, and refuses a fraction of 1', async () => {
    const all = await runCli(['rescore', resultDir, '--size-thresh', '0', '--size-thresh-relative', '0']);
    expect(all.code).toBe(0);
    const areas = (await readCells(resultDir)).map((cell) => cell.area).sort((a, b) => a - b);
    const mid = areas.length >> 1;
    const median = areas.length % 2 ? areas[mid] : (areas[mid - 1] + areas[mid]) / 2;
    const run = await runCli(['rescore', resultDir, '--size-thresh-relative', '0.9']);
    expect(run.code).toBe(0);
    const scoring = JSON.parse(await readFile(path.join(resultDir, 'scoring.json'), 'utf8'));
    expect(scoring.size_thresh_relative).toBe(0.9);
    expect(scoring.num_total).toBe(areas.filter((area) => area >= 0.9 * median).length);
    expect(scoring.num_total).toBeLessThan(areas.length);
    const manifest = JSON.parse(await readFile(path.join(resultDir, 'manifest.json'), 'utf8'));
    expect(manifest.parameters.postprocess).toMatchObject({ sizeThresh: 0, sizeThreshRelative: 0.9 });
    const bad = await runCli(['rescore', resultDir, '--size-thresh-relative', '1']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--size-thresh-relative/);
  });
});

describe('restain analyze on a 20x image (half the reference resolution)', () => {
  it('counts cells within 3% and keeps touching pairs apart in the input-size outputs', async () => {
    // The engine works at 40x; its Seg comes back at half the size, where a nearest-neighbour
    // resize skipped the one-pixel lines between touching nuclei and merged them (~25% fewer cells).
    const low = generateSyntheticIhc({ width: 450, height: 350, pixelSizeMicrons: 0.5, seed: 7, cellCount: 120, positiveFraction: 0.35, touchingPairFraction: 0.25 });
    const input = path.join(dir, 'synthetic-20x.png');
    await sharp(low.image.data, { raw: { width: 450, height: 350, channels: 3 } }).png().toFile(input);
    const out = path.join(dir, 'result-20x');
    const run = await runCli(['analyze', input, '--out', out, '--resolution', '20x']);
    expect(run.code).toBe(0);
    const scoring = JSON.parse(await readFile(path.join(out, 'scoring.json'), 'utf8'));
    expect(Math.abs(scoring.num_total - low.cells.length)).toBeLessThanOrEqual(Math.ceil(low.cells.length * 0.03));
    const clustered = matchCells(await readCells(out), low).filter(({ cell }) => cell.clusterId !== null);
    expect(clustered.length).toBeGreaterThan(10);
    expect(clustered.filter(({ match }) => match === null).length).toBeLessThanOrEqual(Math.ceil(clustered.length * 0.03));
    expect((await sharp(path.join(out, 'SegRefined.png')).metadata()).width).toBe(450);
  });
});

describe('restain analyze with several images', () => {
  it('writes each result into <out>/<name>/', async () => {
    const second = path.join(dir, 'second.png');
    await sharp(imagePath).extract({ left: 0, top: 0, width: 400, height: 300 }).png().toFile(second);
    const out = path.join(dir, 'many');
    const run = await runCli(['analyze', imagePath, second, '--out', out]);
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['second', 'synthetic']);
    expect(await readdir(path.join(out, 'second'))).toContain('manifest.json');
  });
});

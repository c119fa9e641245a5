import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { generateSyntheticIhc } from '@restain/shared';
import { writeTestModel } from '../../src/engines/onnx/testing';
import { runCli } from './run-cli';

let dir: string;
let imagePath: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'restain-onnx-cli-'));
  const { image } = generateSyntheticIhc({ width: 700, height: 400, seed: 9, cellCount: 40 });
  imagePath = path.join(dir, 'tile.png');
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toFile(imagePath);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('restain analyze --engine <model folder>', () => {
  it('runs a DeepLIIF-architecture ONNX model folder over every tile and writes all outputs', async () => {
    const modelDir = path.join(dir, 'model');
    await writeTestModel(modelDir, { inputSize: 64 });
    const out = path.join(dir, 'out');
    const run = await runCli(['analyze', imagePath, '--out', out, '--engine', modelDir, '--resolution', '40x', '--threads', '2']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.engine.inputSize).toBe(64);
    // 700 x 400 at 40x with 448 px cores (512 read windows for a fixed-input model): 2 x 1 tiles.
    expect(manifest.tiles).toMatchObject({ tilesTotal: 2, coreSizePx: 448, marginPx: 32 });
    for (const name of ['Hema.png', 'DAPI.png', 'Lap2.png', 'Marker.png', 'Seg.png', 'SegRefined.png']) {
      const meta = await sharp(path.join(out, name)).metadata();
      expect([name, meta.width, meta.height]).toEqual([name, 700, 400]);
    }
  });

  it('refuses a folder that is not a model with one line', async () => {
    const notModel = path.join(dir, 'not-a-model');
    await rm(notModel, { recursive: true, force: true });
    await require('node:fs/promises').mkdir(notModel);
    await writeFile(path.join(notModel, 'manifest.json'), '{"name": 3');
    const out = path.join(dir, 'out-bad');
    const run = await runCli(['analyze', imagePath, '--out', out, '--engine', notModel]);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/manifest\.json/);
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });
});

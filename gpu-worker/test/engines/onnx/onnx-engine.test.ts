import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RestainError, type Raster } from '@restain/shared';
import type { Engine } from '../../../src/engines/engine';
import { createOnnxEngine, type OnnxEngineOptions } from '../../../src/engines/onnx/onnx-engine';
import { encodeOnnxModel, pointwiseGraph, TEST_TRANSLATION_NETS, writeTestModel, type TestModelOptions } from '../../../src/engines/onnx/testing';
import { constantTile, expectBytes, gradientTile, makeTempDir, normalise } from './model-fixtures';

let dir: string;
let cleanup: () => Promise<void>;
const engines: Engine[] = [];
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
  await cleanup();
});

async function openModel(options: TestModelOptions = {}, engineOptions: OnnxEngineOptions = {}): Promise<Engine> {
  await writeTestModel(dir, options);
  const engine = await createOnnxEngine({ kind: 'onnx', modelDir: dir, device: 'cpu', intraOpThreads: 1 }, engineOptions);
  engines.push(engine);
  return engine;
}

/** Float64 reference of a per-pixel function of the normalised RGB input, planar-free (interleaved). */
function reference(tile: Raster, f: (x: readonly number[]) => readonly number[]): Float64Array {
  const out = new Float64Array(tile.width * tile.height * 3);
  for (let o = 0; o < out.length; o += 3) out.set(f([0, 1, 2].map((c) => normalise(tile.data[o + c]))), o);
  return out;
}

const marker = (x: readonly number[]) => [Math.tanh(0.5 * x[0] + 0.5 * x[1] + 0.1), Math.tanh(0.5 * x[1] + 0.5 * x[2] - 0.1), Math.tanh(0.5 * x[0] + 0.5 * x[2])];

describe('createOnnxEngine on the generated test model', () => {
  it('produces every channel exactly as the known weights predict', async () => {
    const engine = await openModel();
    const tile = gradientTile();
    const out = await engine.inferTile(tile, await engine.prepare(tile));
    const swapped = new Uint8Array(tile.data.length);
    for (let o = 0; o < swapped.length; o += 3) swapped.set([tile.data[o + 2], tile.data[o + 1], tile.data[o]], o);
    expect(out.Hema).toEqual({ width: 16, height: 16, channels: 3, data: tile.data });
    expect(out.DAPI.data).toEqual(swapped);
    expect(out.Lap2.data).toEqual(tile.data.map((v) => 255 - v));
    const markerCheck = expectBytes(out.Marker.data, reference(tile, marker));
    expect(markerCheck.mismatches).toBe(0);
    // Seg = 0.25 Hema + 0.25 DAPI + 0.25 Lap2 + 0 Marker + 0.25 IHC = 0.25 (x + swap(x)) with identity seg nets.
    const seg = expectBytes(out.Seg.data, reference(tile, (x) => [0.25 * (x[0] + x[2]), 0.5 * x[1], 0.25 * (x[0] + x[2])]));
    expect(seg.mismatches).toBe(0);
    // Guards that most samples were checked exactly: Seg red/blue are (r + b)/4 + 63.75, so half of
    // them sit exactly on a .5 rounding boundary (either neighbour accepted); green is always exact.
    expect(seg.ambiguous).toBeLessThanOrEqual(out.Seg.data.length / 3);
    expect(markerCheck.ambiguous).toBeLessThan(out.Marker.data.length / 20);
  });

  it.each([
    [0, 'Hema'],
    [1, 'DAPI'],
    [2, 'Lap2'],
    [3, 'Marker'],
  ] as const)('routes seg net %i to its modality (one-hot fusion weight -> Seg equals %s)', async (index, channel) => {
    const weights = [0, 0, 0, 0, 0];
    weights[index] = 1;
    const engine = await openModel({ fusionWeights: weights });
    const out = await engine.inferTile(gradientTile(), {});
    expect(out.Seg.data).toEqual(out[channel].data);
  });

  it('feeds the IHC tile itself to the fifth seg net', async () => {
    const engine = await openModel({ fusionWeights: [0, 0, 0, 0, 1] });
    const tile = gradientTile();
    const out = await engine.inferTile(tile, {});
    expect(out.Seg.data).toEqual(tile.data);
  });

  it('truncates like DeepLIIF tensor2im by default and rounds when asked', async () => {
    // Seg = 0.25 (x + swap(x)): red and blue 0.25 * (-2) -> 63.75; green 0.5 * x_G -> v/2 + 63.75 = 113.75.
    const tile = constantTile(16, [0, 100, 0]);
    const truncating = await openModel({ outputScaling: { kind: 'tanh', rounding: 'truncate' } });
    expect((await truncating.inferTile(tile, {})).Seg.data.slice(0, 3)).toEqual(Uint8Array.from([63, 113, 63]));
    const rounding = await openModel({ outputScaling: { kind: 'tanh', rounding: 'nearest' } });
    expect((await rounding.inferTile(tile, {})).Seg.data.slice(0, 3)).toEqual(Uint8Array.from([64, 114, 64]));
  });

  it('applies mean/std normalisation and unit output scaling', async () => {
    const engine = await openModel({
      outputScaling: { kind: 'unit', rounding: 'nearest' },
      manifest: { normalisation: { kind: 'meanStd', mean: [0, 0, 0], std: [1, 1, 1] } },
    });
    const tile = gradientTile();
    expect((await engine.inferTile(tile, {})).Hema.data).toEqual(tile.data);
  });

  it("applies DeepLIIF's display step (DAPI gray with red 0, Marker gray with blue 0)", async () => {
    const manifest = await writeTestModel(dir);
    const translation = (manifest.translation as Array<Record<string, unknown>>).map((t) =>
      t.channel === 'DAPI' ? { ...t, display: { grayscale: true, zeroChannels: ['R'] } } : t,
    );
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, translation }));
    const engine = await createOnnxEngine({ kind: 'onnx', modelDir: dir, device: 'cpu' });
    engines.push(engine);
    const out = await engine.inferTile(constantTile(16, [200, 100, 50]), {});
    // DAPI net swaps R and B: (50, 100, 200); PIL luma (50*19595 + 100*38470 + 200*7471 + 32768) >> 16 = 96.
    expect(Array.from(out.DAPI.data.slice(0, 6))).toEqual([0, 96, 96, 0, 96, 96]);
  });

  it('serves all four translation channels from one multi-output file (one run per file)', async () => {
    const graphs = (['Hema', 'DAPI', 'Lap2', 'Marker'] as const).map((channel) =>
      pointwiseGraph(TEST_TRANSLATION_NETS[channel], 16, { output: channel, prefix: `${channel}_` }),
    );
    const manifest = await writeTestModel(dir);
    await writeFile(
      path.join(dir, 'all.onnx'),
      encodeOnnxModel({
        name: 'all',
        nodes: graphs.flatMap((g) => g.nodes),
        initializers: graphs.flatMap((g) => g.initializers),
        inputs: graphs[0].inputs,
        outputs: graphs.flatMap((g) => g.outputs),
      }),
    );
    const translation = ['Hema', 'DAPI', 'Lap2', 'Marker'].map((channel) => ({ file: 'all.onnx', channel, output: channel }));
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, translation }));
    const combined = await createOnnxEngine({ kind: 'onnx', modelDir: dir, device: 'cpu' });
    engines.push(combined);
    const tile = gradientTile();
    const out = await combined.inferTile(tile, {});
    expect(out.Hema.data).toEqual(tile.data);
    expect(out.Lap2.data).toEqual(tile.data.map((v) => 255 - v));
    expect(expectBytes(out.Marker.data, reference(tile, marker)).mismatches).toBe(0);
  });

  it('keeps results separate when tiles are submitted back to back (reused input buffer)', async () => {
    const engine = await openModel();
    const a = constantTile(16, [10, 20, 30]);
    const b = constantTile(16, [200, 150, 100]);
    const [outA, outB] = await Promise.all([engine.inferTile(a, {}), engine.inferTile(b, {})]);
    expect(outA.Hema.data).toEqual(a.data);
    expect(outB.Hema.data).toEqual(b.data);
  });

  it('rejects a tile of the wrong size with INVALID_ARGUMENT', async () => {
    const engine = await openModel();
    await expect(engine.inferTile(gradientTile(8), {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'Expected an RGB tile of 16 x 16 for this model but received 8 x 8 with 3 channels',
    });
  });

  it('describes itself for the result manifest', async () => {
    const engine = await openModel();
    expect(engine.info).toMatchObject({ name: 'restain-test-model', version: '1.0.0', inputSize: 16 });
    expect(engine.info.parameters).toMatchObject({ segmentationFusionWeights: [0.25, 0.25, 0.25, 0, 0.25], executionProvider: 'cpu', intraOpThreads: 1 });
  });

  it('falls back to the CPU with one log line when CUDA is requested but absent', async () => {
    await writeTestModel(dir);
    const lines: string[] = [];
    const engine = await createOnnxEngine({ kind: 'onnx', modelDir: dir, device: 'cuda' }, { log: (line) => lines.push(line) });
    engines.push(engine);
    // This machine's onnxruntime-node has no CUDA provider library; on a GPU host it would load.
    const provider = engine.info.parameters.executionProvider;
    if (provider === 'cpu') {
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^restain: CUDA requested for model restain-test-model but onnxruntime could not load it \(.+\); running on CPU$/);
    } else {
      expect(provider).toBe('cuda');
      expect(lines).toEqual([]);
    }
    expect((await engine.inferTile(gradientTile(), {})).Hema.data).toEqual(gradientTile().data);
  });

  it('refuses work after close()', async () => {
    const engine = await openModel();
    await engine.close();
    await expect(engine.inferTile(gradientTile(), {})).rejects.toBeInstanceOf(RestainError);
  });
});

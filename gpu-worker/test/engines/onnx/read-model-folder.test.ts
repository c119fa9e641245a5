import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RestainError } from '@restain/shared';
import { createOnnxEngine } from '../../../src/engines/onnx/onnx-engine';
import { readModelFolder } from '../../../src/engines/onnx/read-model-folder';
import { encodeOnnxModel, writeTestModel } from '../../../src/engines/onnx/testing';
import { makeTempDir } from './model-fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

async function failure(run: () => Promise<unknown>): Promise<RestainError> {
  try {
    await run();
  } catch (error) {
    return error as RestainError;
  }
  throw new Error('expected a failure');
}

const open = (modelDir: string) => createOnnxEngine({ kind: 'onnx', modelDir, device: 'cpu' });

describe('model folder validation', () => {
  it('reads the manifest the generator wrote', async () => {
    await writeTestModel(dir);
    const manifest = await readModelFolder(dir);
    expect(manifest.inputSize).toBe(16);
    expect(manifest.segmentation.map((s) => s.file)).toEqual(['G52.onnx', 'G53.onnx', 'G54.onnx', 'G55.onnx', 'G51.onnx']);
  });

  it('names the missing manifest', async () => {
    const error = await failure(() => readModelFolder(dir));
    expect(error).toBeInstanceOf(RestainError);
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toBe(`Expected a model folder with manifest.json at ${path.join(dir, 'manifest.json')} but it does not exist`);
  });

  it('reports bad JSON', async () => {
    await writeFile(path.join(dir, 'manifest.json'), '{ "name": "m", ');
    const error = await failure(() => readModelFolder(dir));
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toMatch(/^Expected valid JSON in .*manifest\.json but parsing failed: /);
  });

  it('prefixes field errors with the manifest path', async () => {
    await writeTestModel(dir, { manifest: { segmentationFusionWeights: [1] } });
    const error = await failure(() => readModelFolder(dir));
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toContain(`${path.join(dir, 'manifest.json')}: segmentationFusionWeights: expected 5 weights`);
  });

  it('names a missing ONNX file', async () => {
    await writeTestModel(dir);
    await rm(path.join(dir, 'G53.onnx'));
    const error = await failure(() => readModelFolder(dir));
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toBe(`${path.join(dir, 'manifest.json')} names G53.onnx, but ${path.join(dir, 'G53.onnx')} is not a file`);
  });

  it('rejects nets whose input shape disagrees with inputSize', async () => {
    await writeTestModel(dir, { inputSize: 16, manifest: { inputSize: 32 } });
    const error = await failure(() => open(dir));
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toBe('G1.onnx: expected input x of shape [N, 3, 32, 32] (manifest inputSize 32) but it is [N, 3, 16, 16]');
  });

  it('rejects a tensor name the net does not have', async () => {
    const manifest = await writeTestModel(dir);
    const translation = (manifest.translation as Array<Record<string, unknown>>).map((t, i) => (i === 2 ? { ...t, output: 'lap2' } : t));
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, translation }));
    const error = await failure(() => open(dir));
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toBe('G3.onnx: expected an output named lap2 but it has out');
  });

  it('rejects a net with an input the manifest does not feed', async () => {
    await writeTestModel(dir);
    const shape = ['N', 3, 16, 16];
    await writeFile(
      path.join(dir, 'G2.onnx'),
      encodeOnnxModel({
        name: 'two-inputs',
        nodes: [{ opType: 'Add', inputs: ['x', 'y'], outputs: ['out'] }],
        initializers: [],
        inputs: [{ name: 'x', shape }, { name: 'y', shape }],
        outputs: [{ name: 'out', shape }],
      }),
    );
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    manifest.translation[1].input = 'x';
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const error = await failure(() => open(dir));
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toBe('G2.onnx: expected manifest.json to feed every input but y would get nothing');
  });

  it('rejects a file onnxruntime cannot load', async () => {
    await writeTestModel(dir);
    await writeFile(path.join(dir, 'G4.onnx'), 'not a protobuf');
    const error = await failure(() => open(dir));
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toMatch(/^Expected a loadable ONNX model at .*G4\.onnx but onnxruntime failed: /);
  });
});

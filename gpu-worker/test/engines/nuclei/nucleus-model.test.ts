import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RestainError } from '@restain/shared';
import { defaultNucleusModelDir } from '../../../src/engines/nuclei/model-dir';
import { parseNucleusManifest, readNucleusModel } from '../../../src/engines/nuclei/nucleus-model';
import { VALID_NUCLEUS_MANIFEST } from './nucleus-manifest-fixture';

const valid = VALID_NUCLEUS_MANIFEST;

describe('nucleus model manifest', () => {
  it('accepts a complete manifest', () => {
    expect(parseNucleusManifest(valid)).toMatchObject({ downsample: 2, thresholds: { centre: 0.4 } });
  });

  it.each([
    [{ ...valid, file: '../model.onnx' }, 'file inside the model folder'],
    [{ ...valid, downsample: 1.5 }, 'downsample an integer 1-8'],
    [{ ...valid, minMaskFraction: 1.5 }, 'minMaskFraction in [0, 1]'],
    [{ ...valid, thresholds: { ...valid.thresholds, centre: 1 } }, 'centre in (0, 1)'],
    [{ ...valid, normalisation: undefined }, 'normalisation {scale, offset}'],
    [{ ...valid, name: '' }, 'a non-empty string name'],
    [[], 'a JSON object'],
  ])('names the wrong field (%#)', (value, what) => {
    let caught: unknown;
    try {
      parseNucleusManifest(value, 'm.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RestainError);
    expect((caught as RestainError).code).toBe('MODEL_INVALID');
    expect((caught as RestainError).message).toMatch(new RegExp(`^m\\.json: expected ${what.replace(/[()[\]{}.]/g, '\\$&')} but received `));
  });

  it('reads the model folder that ships with Restain', async () => {
    const model = await readNucleusModel(defaultNucleusModelDir());
    expect(model.name).toBe('restain-nuclei');
    expect(model.training).toHaveProperty('terms');
  });

  it('says which file is missing from a folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'restain-nuclei-model-'));
    try {
      await expect(readNucleusModel(dir)).rejects.toThrow(`Expected a nucleus model folder with manifest.json at ${path.join(dir, 'manifest.json')} but it does not exist`);
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(valid));
      await expect(readNucleusModel(dir)).rejects.toThrow(`names model.onnx, but ${path.join(dir, 'model.onnx')} is not a file`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalFolderObjectStore } from '@restain/shared/node';
import { createEngine } from '../../src/engines/create-engine';
import { writeTestModel } from '../../src/engines/onnx/testing';
import { downloadModelFolder, parseRemoteModel } from '../../src/worker/download-model-folder';
import { readWorkerConfig } from '../../src/worker/worker-config';
import { gradientTile, makeTempDir } from '../engines/onnx/model-fixtures';

describe('a model folder kept in the object store (RESTAIN_MODEL=s3://bucket/prefix)', () => {
  it('parses s3 locations and refuses other schemes or path tricks', () => {
    expect(parseRemoteModel('s3://restain-data/models/deepliif')).toEqual({ bucket: 'restain-data', prefix: 'models/deepliif/' });
    expect(parseRemoteModel('s3://restain-data/models/deepliif/')).toEqual({ bucket: 'restain-data', prefix: 'models/deepliif/' });
    expect(parseRemoteModel('/opt/models/deepliif')).toBeUndefined();
    expect(() => parseRemoteModel('s3://restain-data/models/../keys')).toThrow(/segment/);
    expect(readWorkerConfig({ RESTAIN_MODEL: 's3://restain-data/models/m1' })).toMatchObject({ engine: { kind: 'onnx' }, remoteModel: { bucket: 'restain-data', prefix: 'models/m1/' } });
    expect(() => readWorkerConfig({ RESTAIN_MODEL: 'https://example.org/model' })).toThrow(/RESTAIN_MODEL/);
  });

  it('is fetched into a folder the ONNX engine runs', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const modelDir = path.join(dir, 'source');
      await writeTestModel(modelDir);
      const store = new LocalFolderObjectStore({ rootDir: path.join(dir, 'store'), signedUrlBase: 'http://127.0.0.1', signingSecret: 'test-secret-0123456789' });
      for (const name of await readdir(modelDir)) await store.put(`models/test/${name}`, await readFile(path.join(modelDir, name)));
      await store.put('models/other/manifest.json', new TextEncoder().encode('{}')); // a neighbour prefix is not taken

      const target = path.join(dir, 'fetched');
      const fetched = await downloadModelFolder(store, 'models/test/', target);
      expect(fetched.files).toBe((await readdir(modelDir)).length);
      expect((await readdir(target)).sort()).toEqual((await readdir(modelDir)).sort());
      const engine = await createEngine({ kind: 'onnx', modelDir: target, device: 'cpu', intraOpThreads: 1 });
      try {
        const tile = gradientTile();
        expect((await engine.inferTile(tile, {})).Hema.data).toEqual(tile.data);
      } finally {
        await engine.close();
      }
    } finally {
      await cleanup();
    }
  });

  it('without a manifest.json under the prefix: MODEL_INVALID naming the prefix', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const store = new LocalFolderObjectStore({ rootDir: path.join(dir, 'store'), signedUrlBase: 'http://127.0.0.1', signingSecret: 'test-secret-0123456789' });
      await store.put('models/empty/model.onnx', new Uint8Array([1, 2, 3]));
      await expect(downloadModelFolder(store, 'models/empty/', path.join(dir, 'fetched'))).rejects.toMatchObject({
        code: 'MODEL_INVALID',
        message: expect.stringContaining('models/empty/'),
      });
    } finally {
      await cleanup();
    }
  });
});

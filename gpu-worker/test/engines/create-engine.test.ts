import { BUILTIN_ENGINE_NAME } from '../../src/engines/builtin';
import { createEngine } from '../../src/engines/create-engine';
import { writeTestModel } from '../../src/engines/onnx/testing';
import { gradientTile, makeTempDir } from './onnx/model-fixtures';

describe('createEngine', () => {
  it('builds an ONNX engine from a model folder and passes the log through', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      await writeTestModel(dir);
      const lines: string[] = [];
      const engine = await createEngine({ kind: 'onnx', modelDir: dir, device: 'cuda', intraOpThreads: 1 }, { log: (l) => lines.push(l) });
      try {
        expect(engine.info.name).toBe('restain-test-model');
        expect(lines).toHaveLength(engine.info.parameters.executionProvider === 'cpu' ? 1 : 0);
        const tile = gradientTile();
        expect((await engine.inferTile(tile, {})).Hema.data).toEqual(tile.data);
      } finally {
        await engine.close();
      }
    } finally {
      await cleanup();
    }
  });

  it('builds the built-in engine', async () => {
    const engine = await createEngine({ kind: 'builtin' });
    expect(engine.info.name).toBe(BUILTIN_ENGINE_NAME);
    await engine.close();
  });
});

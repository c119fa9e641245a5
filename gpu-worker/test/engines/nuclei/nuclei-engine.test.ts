import { RestainError, type Raster } from '@restain/shared';
import type { Engine } from '../../../src/engines/engine';
import { defaultNucleusModelDir } from '../../../src/engines/nuclei/model-dir';
import { createNucleiEngine } from '../../../src/engines/nuclei/nuclei-engine';
import { extractSegCells, paintSlide, type PaintedNucleus } from '../builtin/synthetic-slide';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

async function open(device: 'cpu' | 'cuda' = 'cpu', log?: (line: string) => void): Promise<Engine> {
  const engine = await createNucleiEngine({ kind: 'nuclei', modelDir: defaultNucleusModelDir(), device, intraOpThreads: 1 }, log);
  engines.push(engine);
  return engine;
}

async function segment(slide: Raster) {
  const engine = await open();
  const context = await engine.prepare(slide);
  const channels = await engine.inferTile(slide, context);
  return { channels, cells: extractSegCells(channels.Seg) };
}

function nearest(cells: ReturnType<typeof extractSegCells>, x: number, y: number) {
  return cells.reduce((best, c) => (Math.hypot(c.cx - x, c.cy - y) < Math.hypot(best.cx - x, best.cy - y) ? c : best));
}

// Nuclei about 28 px across at the reference scale, as the engine expects them.
const negative = (x: number, y: number): PaintedNucleus => ({ x, y, radius: 13, hematoxylin: 0.55, dab: 0 });
const positive = (x: number, y: number): PaintedNucleus => ({ x, y, radius: 13, hematoxylin: 0.15, dab: 0.7 });

describe('nuclei engine (the shipped nucleus net)', () => {
  it('finds isolated nuclei and labels DAB ones positive and hematoxylin ones negative', async () => {
    const nuclei = [negative(50, 50), positive(150, 50), negative(60, 160), positive(170, 170)];
    const { cells } = await segment(paintSlide(224, 224, nuclei));
    expect(cells).toHaveLength(4);
    for (const n of nuclei) {
      const cell = nearest(cells, n.x, n.y);
      expect(Math.hypot(cell.cx - n.x, cell.cy - n.y)).toBeLessThan(6.5); // half a radius
      expect(cell.positive).toBe(n.dab > 0);
    }
  });

  it('splits a touching pair into two cells', async () => {
    const { cells } = await segment(paintSlide(160, 128, [negative(62, 64), negative(86, 66)]));
    expect(cells).toHaveLength(2);
    expect(cells.map((c) => Math.round(c.cx)).sort((a, b) => a - b)).toEqual([expect.closeTo(58, -1), expect.closeTo(90, -1)]);
  });

  it('finds no cells on empty glass', async () => {
    const { cells, channels } = await segment(paintSlide(96, 96, []));
    expect(cells).toHaveLength(0);
    expect(channels.Seg.data.every((v) => v === 0)).toBe(true);
  });

  it('returns every channel as RGB at the tile size, for odd and tiny tiles', async () => {
    for (const [width, height] of [[37, 53], [1, 1], [130, 9]]) {
      const engine = await open();
      const tile = paintSlide(width, height, [negative(width / 2, height / 2)]);
      const channels = await engine.inferTile(tile, await engine.prepare(tile));
      for (const name of ['Hema', 'DAPI', 'Lap2', 'Marker', 'Seg'] as const) {
        expect([channels[name].width, channels[name].height, channels[name].channels, channels[name].data.length]).toEqual([width, height, 3, width * height * 3]);
      }
    }
  });

  it('records the model, its thresholds and the terms of its training data', async () => {
    const engine = await open();
    expect(engine.info).toMatchObject({ name: 'restain-nuclei', inputSize: null });
    expect(engine.info.parameters).toMatchObject({
      thresholds: { centre: expect.any(Number), mask: expect.any(Number), positive: expect.any(Number) },
      executionProvider: 'cpu',
      model: { file: 'model.onnx', downsample: 2, training: { terms: expect.stringContaining('non-commercial') } },
    });
  });

  it('falls back to the CPU with one line when CUDA is absent', async () => {
    const lines: string[] = [];
    const engine = await open('cuda', (line) => lines.push(line));
    expect(lines).toHaveLength(engine.info.parameters.executionProvider === 'cuda' ? 0 : 1);
    if (lines.length) expect(lines[0]).toMatch(/^restain: CUDA requested for model restain-nuclei but onnxruntime could not load it \(.+\); running on CPU$/);
  });

  it('rejects a malformed tile, a foreign context and use after close with typed errors', async () => {
    const engine = await open();
    const tile = paintSlide(32, 32, []);
    const context = await engine.prepare(tile);
    await expect(engine.inferTile({ width: 32, height: 32, channels: 3, data: new Uint8Array(10) }, context)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(engine.inferTile(tile, { stains: 'none' })).rejects.toBeInstanceOf(RestainError);
    await engine.close();
    await expect(engine.inferTile(tile, context)).rejects.toMatchObject({ code: 'ENGINE_FAILED', message: 'Engine restain-nuclei was used after close()' });
  });
});

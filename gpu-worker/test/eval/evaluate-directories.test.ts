import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { RestainError } from '@restain/shared';
import { evaluateDirectories, formatEvalReport } from '../../src/eval';

type Rect = [number, number, number, number, 'r' | 'b'];

/** Write a DeepLIIF-colour PNG with the given cells (red/blue rectangles, [x0, y0, x1, y1)). */
async function writeSeg(file: string, width: number, height: number, rects: Rect[]): Promise<void> {
  const data = Buffer.alloc(width * height * 3);
  for (const [x0, y0, x1, y1, c] of rects) {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[(y * width + x) * 3 + (c === 'r' ? 0 : 2)] = 255;
  }
  await mkdir(path.dirname(file), { recursive: true });
  await sharp(data, { raw: { width, height, channels: 3 } }).png().toFile(file);
}

describe('evaluateDirectories', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'restain-eval-test-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('scores masks per image and on average, and lists images with no prediction', async () => {
    const gt = path.join(root, 'gt'), pred = path.join(root, 'pred');
    await writeSeg(path.join(gt, 'a.png'), 40, 20, [[0, 0, 8, 8, 'r'], [20, 0, 28, 8, 'b'], [0, 10, 8, 18, 'b']]);
    await writeSeg(path.join(gt, 'b.png'), 40, 20, [[0, 0, 8, 8, 'r']]);
    await writeSeg(path.join(pred, 'a', 'SegRefined.png'), 40, 20, [[0, 0, 8, 8, 'r'], [21, 0, 28, 8, 'r'], [30, 10, 38, 18, 'b']]);
    const report = await evaluateDirectories(pred, gt, { sizeThresh: 0 });
    expect(report.missing).toEqual(['b']);
    expect(report.images).toHaveLength(1);
    const m = report.images[0].metrics;
    expect(m).toMatchObject({ n_gt: 3, n_pred: 3, tp: 2, precision: 2 / 3, recall: 2 / 3, class_acc: 0.5 });
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(m.ki67_abs_err).toBeCloseTo(100 / 3, 12);
    expect(report.summaries).toHaveLength(1);
    expect(report.summaries[0]).toMatchObject({ kind: 'mask', images: 1 });
    expect(report.summaries[0].mean.f1).toBeCloseTo(2 / 3, 12);
    const text = formatEvalReport(report);
    expect(text).toMatch(/^mask \(1 image\)/);
    expect(text).toMatch(/\na +3 +3 .* 0\.667 +0\.667 +0\.667 +0\.500/);
    expect(text).toContain('missing predictions (1): b');
  });

  it('scores points (JSON truth wins over the IHC image beside it) and outlines', async () => {
    const gt = path.join(root, 'gt'), pred = path.join(root, 'pred');
    await mkdir(gt, { recursive: true });
    await writeSeg(path.join(gt, 'p.png'), 40, 20, []); // the IHC image of a point set, not truth
    await writeFile(path.join(gt, 'p.points.json'), JSON.stringify([
      { x: 4, y: 4, label: 'positive' }, { x: 24, y: 4, label: 'negative' }, { x: 34, y: 14, label: 'other' },
    ]));
    await writeSeg(path.join(pred, 'p.png'), 40, 20, [[0, 0, 8, 8, 'r'], [20, 0, 28, 8, 'r'], [30, 10, 38, 18, 'b']]);
    await writeFile(path.join(gt, 'o.cells.json'), JSON.stringify([
      { label: 'positive', polygon: [[0, 0], [8, 0], [8, 8], [0, 8]] },
      { label: 'negative', polygon: [[20, 0], [28, 0], [28, 8], [20, 8]] },
    ]));
    await writeSeg(path.join(pred, 'o.png'), 40, 20, [[0, 0, 8, 8, 'b'], [20, 0, 28, 8, 'b']]);
    const report = await evaluateDirectories(pred, gt, { radiusPx: 3, sizeThresh: 0 });
    expect(report.summaries.map((s) => s.kind)).toEqual(['outlines', 'points']);
    const points = report.images.find((i) => i.name === 'p')!;
    expect(points.kind).toBe('points');
    expect(points.metrics).toMatchObject({ n_gt: 2, n_pred: 2, tp: 2, class_acc: 0.5, ki67_gt: 50, ki67_pred: 100 });
    const outlines = report.images.find((i) => i.name === 'o')!;
    expect(outlines.metrics).toMatchObject({ n_gt: 2, n_pred: 2, tp: 2, f1: 1, class_acc: 0.5, dice_fg: 1 });
  });

  it('takes <pred>/SegRefined.png when the truth holds one image', async () => {
    const gt = path.join(root, 'gt'), pred = path.join(root, 'pred');
    await writeSeg(path.join(gt, 'only.png'), 20, 20, [[2, 2, 10, 10, 'r']]);
    await writeSeg(path.join(pred, 'SegRefined.png'), 20, 20, [[2, 2, 10, 10, 'r']]);
    const report = await evaluateDirectories(pred, gt, {});
    expect(report.images[0]).toMatchObject({ name: 'only', predPath: path.join(pred, 'SegRefined.png') });
    expect(report.images[0].metrics.f1).toBe(1);
  });

  it('fails clearly on a missing directory, an empty truth folder or a size mismatch', async () => {
    const gt = path.join(root, 'gt'), pred = path.join(root, 'pred');
    await expect(evaluateDirectories(pred, gt)).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND', message: expect.stringContaining(gt) });
    await mkdir(gt, { recursive: true });
    await mkdir(pred, { recursive: true });
    await expect(evaluateDirectories(pred, gt)).rejects.toMatchObject({ code: 'INPUT_EMPTY' });
    await writeSeg(path.join(gt, 'a.png'), 20, 20, [[2, 2, 10, 10, 'r']]);
    await writeSeg(path.join(pred, 'a.png'), 30, 20, [[2, 2, 10, 10, 'r']]);
    const error = await evaluateDirectories(pred, gt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestainError);
    expect((error as RestainError).message).toMatch(/20x20 like its truth but received 30x20/);
  });
});

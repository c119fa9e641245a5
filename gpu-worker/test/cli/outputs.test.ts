import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { generateSyntheticIhc, renderTruthMask } from '@restain/shared';
import { runCli } from './run-cli';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'restain-outputs-'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

function rawInput(width: number, height: number, data: Uint8Array) {
  return sharp(data, { raw: { width, height, channels: 3 } });
}

describe('restain analyze outputs', () => {
  it('skips background-only tiles and renders them as background', async () => {
    const width = 1200;
    const height = 500;
    const tissue = generateSyntheticIhc({ width: 500, height, seed: 21, cellCount: 30 }).image;
    const data = new Uint8Array(width * height * 3).fill(246); // glass
    for (let y = 0; y < height; y++) data.set(tissue.data.subarray(y * 500 * 3, (y + 1) * 500 * 3), y * width * 3);
    const input = path.join(dir, 'half-glass.png');
    await rawInput(width, height, data).png().toFile(input);
    const out = path.join(dir, 'half-glass');
    const run = await runCli(['analyze', input, '--out', out, '--resolution', '40x']);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.tiles.tilesTotal).toBe(3);
    expect(manifest.tiles.tilesSkipped).toBe(1);
    const glass = { left: 1030, top: 0, width: 170, height: 500 };
    // stats() reads the input image, so crop to a buffer first.
    const cropStats = async (name: string) => sharp(await sharp(path.join(out, name)).extract(glass).png().toBuffer()).stats();
    const hema = await cropStats('Hema.png');
    expect(hema.channels.map((c) => c.min)).toEqual([255, 255, 255]);
    const seg = await cropStats('Seg.png');
    expect(seg.channels.map((c) => c.max)).toEqual([0, 0, 0]);
  });

  it('keeps no metadata of the input in any output', async () => {
    const { image } = generateSyntheticIhc({ width: 400, height: 300, seed: 22, cellCount: 20 });
    const input = path.join(dir, 'with-exif.jpg');
    await rawInput(400, 300, image.data)
      .jpeg()
      .withMetadata({ exif: { IFD0: { Copyright: 'PATIENT-SECRET-1234', ImageDescription: 'PATIENT-SECRET-1234' } } })
      .toFile(input);
    expect((await readFile(input)).includes('PATIENT-SECRET-1234')).toBe(true);
    const out = path.join(dir, 'with-exif');
    expect((await runCli(['analyze', input, '--out', out])).code).toBe(0);
    for (const name of await readdir(out)) {
      const bytes = await readFile(path.join(out, name));
      expect([name, bytes.includes('PATIENT-SECRET-1234')]).toEqual([name, false]);
      if (name.endsWith('.png')) expect([name, (await sharp(bytes).metadata()).exif]).toEqual([name, undefined]);
    }
  });

  it('restain eval scores a result against a truth mask', async () => {
    const truth = generateSyntheticIhc({ width: 600, height: 400, seed: 23, cellCount: 40, touchingPairFraction: 0 });
    const input = path.join(dir, 'evaluated.png');
    await rawInput(600, 400, truth.image.data).png().toFile(input);
    const gtDir = path.join(dir, 'truth');
    await mkdir(gtDir, { recursive: true });
    const mask = renderTruthMask(truth);
    await rawInput(600, 400, mask.data).png().toFile(path.join(gtDir, 'evaluated.png'));
    const predDir = path.join(dir, 'pred');
    expect((await runCli(['analyze', input, '--out', path.join(predDir, 'evaluated')])).code).toBe(0);
    const run = await runCli(['eval', '--pred', predDir, '--gt', gtDir, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const [image] = report.images;
    expect(image.metrics.n_gt).toBe(40);
    expect(image.metrics.f1).toBeGreaterThan(0.9);
  });

  it('restain sample writes the synthetic sample with its truth mask and points', async () => {
    const out = path.join(dir, 'sample');
    const run = await runCli(['sample', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1024 x 768, 150 cells, 45 positive/);
    expect(await sharp(path.join(out, 'sample.png')).metadata()).toMatchObject({ width: 1024, height: 768, channels: 3 });
    expect(await sharp(path.join(out, 'truth', 'sample.png')).metadata()).toMatchObject({ width: 1024, height: 768 });
    const points = JSON.parse(await readFile(path.join(out, 'sample.points.json'), 'utf8'));
    expect(points).toHaveLength(150);
    expect(points.filter((p: { label: string }) => p.label === 'positive')).toHaveLength(45);
  });

  it.each([
    [['--pixel-size', '0.5'], 2, '0.5 µm/px'],
    [['--resolution', '10x'], 4, '10x'],
  ])('%j resizes to the 40x reference by %d and back to the input size', async (flags, factor, requested) => {
    const { image } = generateSyntheticIhc({ width: 300, height: 200, seed: 24, cellCount: 10, pixelSizeMicrons: 0.25 * factor });
    const input = path.join(dir, `scaled-${factor}.png`);
    await rawInput(300, 200, image.data).png().toFile(input);
    const out = path.join(dir, `scaled-${factor}`);
    const run = await runCli(['analyze', input, '--out', out, ...(flags as string[])]);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.scale).toMatchObject({ requested, referenceScaleFactor: factor, referenceWidth: 300 * factor, referenceHeight: 200 * factor });
    for (const name of ['Seg.png', 'SegRefined.png', 'Hema.png']) {
      expect(await sharp(path.join(out, name)).metadata()).toMatchObject({ width: 300, height: 200 });
    }
    const scoring = JSON.parse(await readFile(path.join(out, 'scoring.json'), 'utf8'));
    expect(Math.abs(scoring.num_total - 10)).toBeLessThanOrEqual(1);
  });
});

import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { generateSyntheticIhc } from '@restain/shared';
import { rasterInput, writeGreyStripTiff, writePngBomb, writeTruncatedCopy } from '../image/fixtures';
import { runCli } from './run-cli';

let dir: string;
let valid: Sharp;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'restain-bad-'));
  valid = rasterInput(generateSyntheticIhc({ width: 320, height: 240, seed: 3, cellCount: 20 }).image);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** Each case writes its file and names what the one-line error must mention. */
const CASES: Array<[name: string, make: (file: string) => Promise<string>, expected: RegExp]> = [
  ['truncated PNG', async (f) => writeTruncatedCopy(await save(valid.clone().png(), f + '.full.png'), f + '.png', 0.5), /truncated|corrupt|damaged/i],
  ['truncated JPEG', async (f) => writeTruncatedCopy(await save(valid.clone().jpeg(), f + '.full.jpg'), f + '.jpg', 0.5), /truncated|corrupt|damaged/i],
  ['truncated TIFF', async (f) => writeTruncatedCopy(writeGreyStripTiff(f + '.full.tif', 300, 300), f + '.tif', 0.5), /truncated|corrupt|damaged/i],
  ['text file named .png', async (f) => writeText(f + '.png', 'hello, this is not an image\n'), /not an image|text/i],
  ['zero-byte file', async (f) => writeText(f + '.png', ''), /empty/i],
  ['30000 x 30000 PNG bomb', async (f) => writePngBomb(f + '.png', 30000, 30000), /30000 x 30000|30000x30000|limit/i],
  ['SVG', async (f) => writeText(f + '.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><circle r="50"/></svg>'), /svg/i],
  ['10 x 10 image', async (f) => save(sharp({ create: { width: 10, height: 10, channels: 3, background: '#a06040' } }).png(), f + '.png'), /small/i],
  ['missing file', async (f) => f + '.png', /not found|does not exist|no such/i],
];

async function save(image: Sharp, file: string): Promise<string> {
  await image.toFile(file);
  return file;
}

async function writeText(file: string, text: string): Promise<string> {
  await writeFile(file, text);
  return file;
}

describe('restain analyze refuses bad input with one line and leaves no result', () => {
  it.each(CASES)('%s', async (name, make, expected) => {
    const input = await make(path.join(dir, name.replace(/\W+/g, '-')));
    const out = path.join(dir, `out-${name.replace(/\W+/g, '-')}`);
    const run = await runCli(['analyze', input, '--out', out]);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const left = await readdir(out).catch(() => []);
    expect(left).toEqual([]);
  });
});

describe('restain analyze accepts unusual but valid encodings', () => {
  const raster = () => generateSyntheticIhc({ width: 320, height: 240, seed: 5, cellCount: 20 }).image;
  const VARIANTS: Array<[name: string, encode: (s: Sharp) => Sharp, ext: string]> = [
    ['16-bit TIFF', (s) => s.toColourspace('rgb16').tiff(), '.tif'],
    ['CMYK JPEG', (s) => s.toColourspace('cmyk').jpeg(), '.jpg'],
    ['grayscale PNG', (s) => s.greyscale().png(), '.png'],
    ['palette + alpha PNG', (s) => s.ensureAlpha(0.8).png({ palette: true }), '.png'],
  ];

  it.each(VARIANTS)('%s', async (name, encode, ext) => {
    const input = path.join(dir, name.replace(/\W+/g, '-') + ext);
    await encode(rasterInput(raster())).toFile(input);
    const out = path.join(dir, `ok-${name.replace(/\W+/g, '-')}`);
    const run = await runCli(['analyze', input, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await readdir(out)).toContain('scoring.json');
  });
});

describe('usage mistakes', () => {
  it.each([
    [['analyze', 'x.png'], /--out/],
    [['analyze', 'x.png', '--out', 'o', '--resolution', '30x'], /auto, 40x, 20x or 10x/],
    [['analyze', 'x.png', '--out', 'o', '--seg-thresh', '300'], /0 to 254/],
    [['analyze', 'x.png', '--out', 'o', '--bogus'], /bogus/],
    [['analyze', 'x.png', '--out', 'o', '--engine', 'builtin', '--engine-option', 'novalue'], /key=value/],
    [['analyze', 'x.png', '--out', 'o', '--engine-option', 'contrast=0.1'], /^restain: --engine-option applies to the built-in engine only \(add --engine builtin\)$/m],
    [['frobnicate'], /unknown command/],
  ])('%j exits 2 with one line', async (args, expected) => {
    const run = await runCli(args as string[]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(expected);
  });
});

describe('restain rescore', () => {
  it('refuses a folder that is not a result with one line', async () => {
    const run = await runCli(['rescore', path.join(dir, 'no-such-result')]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/not a Restain result: manifest\.json is missing/);
  });
});

describe('restain analyze with an unusable --out', () => {
  it('says so in one line when --out is a file', async () => {
    const input = path.join(dir, 'for-out.png');
    await valid.clone().png().toFile(input);
    const out = await writeText(path.join(dir, 'out-is-a-file'), 'x');
    const run = await runCli(['analyze', input, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/Cannot write results to .*out-is-a-file.*not a folder/);
  });
});

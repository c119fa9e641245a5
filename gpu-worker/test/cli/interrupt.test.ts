import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { generateSyntheticIhc } from '@restain/shared';

const CLI = path.resolve(__dirname, '../../../dist/restain.js');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'restain-interrupt-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the analysis to start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('restain analyze interrupted', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('on %s leaves no partial result and exits %i', async (signal, expectedCode) => {
    const { image } = generateSyntheticIhc({ width: 2400, height: 2400, seed: 31, cellCount: 900 });
    const input = path.join(dir, `${signal}.png`);
    await sharp(image.data, { raw: { width: 2400, height: 2400, channels: 3 } }).png({ compressionLevel: 1 }).toFile(input);
    const out = path.join(dir, `out-${signal}`);
    const child = spawn(process.execPath, [CLI, 'analyze', input, '--out', out, '--resolution', '40x'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor(async () => (await readdir(out).catch(() => [])).some((name) => name.startsWith('.restain-partial-')), 30_000);
    child.kill(signal);
    expect(await exited).toBe(expectedCode);
    expect(stderr).toMatch(new RegExp(`stopped by ${signal}`));
    expect(await readdir(out)).toEqual([]);
  });
});

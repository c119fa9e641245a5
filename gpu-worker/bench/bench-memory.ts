import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { generateSyntheticIhc } from '@restain/shared';

/**
 * Preloaded into the measured process: prints its peak RSS (all threads) when it exits. Linux's
 * VmHWM is the peak of this program's own memory; getrusage's maxRSS (the fallback elsewhere) also
 * counts the parent's memory copied at fork, before exec replaced it, so a large benchmark process
 * would inflate its child's figure by its own size.
 */
const RSS_REPORTER = `process.on('exit', () => {
  const fs = require('fs');
  let kb = process.resourceUsage().maxRSS;
  try { kb = Number(/^VmHWM:\\s+(\\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}
  fs.writeSync(2, 'PEAK_RSS_KB ' + kb + '\\n');
});`;

/** Peak RSS of `restain analyze` on a synthetic edge x edge image, in its own process. */
export async function benchLargeImageMemory(workDir: string, edge: number): Promise<void> {
  const started = performance.now();
  const synthetic = generateSyntheticIhc({ width: edge, height: edge, seed: 11, cellDensityPerMm2: 2000 });
  const input = path.join(workDir, `synthetic-${edge}.png`);
  await sharp(synthetic.image.data, { raw: { width: edge, height: edge, channels: 3 } }).png({ compressionLevel: 1 }).toFile(input);
  const cells = synthetic.cells.length;
  const made = (performance.now() - started) / 1000;
  const reporter = path.join(workDir, 'report-rss.js');
  await writeFile(reporter, RSS_REPORTER);
  const cli = path.resolve(__dirname, 'restain.js');
  const out = path.join(workDir, `out-${edge}`);
  const runStart = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', reporter, cli, 'analyze', input, '--out', out, '--resolution', '40x'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let so = '';
    let se = '';
    child.stdout.on('data', (chunk) => (so += chunk));
    child.stderr.on('data', (chunk) => (se += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout: so, stderr: se }));
  });
  const seconds = (performance.now() - runStart) / 1000;
  const peakKb = Number(/PEAK_RSS_KB (\d+)/.exec(stderr)?.[1] ?? NaN);
  process.stdout.write(
    `Synthetic ${edge} x ${edge} (${cells} cells, made in ${made.toFixed(1)} s), restain analyze --resolution 40x:\n` +
      `  exit ${code}, ${seconds.toFixed(1)} s, peak RSS ${(peakKb / 1024).toFixed(0)} MiB (target < 1536 MiB)\n` +
      `  ${stdout.trim()}\n\n`,
  );
  if (code !== 0) process.stdout.write(`  stderr: ${stderr.trim()}\n`);
}

/**
 * Dev script (not a test): time and peak RSS of the image stages on large inputs, one stage per
 * process so each peak is its own. Usage (from the repo root):
 *   npx tsx gpu-worker/dev/measure-image-memory.ts write-png <out.png> [edge=10000]
 *   npx tsx gpu-worker/dev/measure-image-memory.ts open <image> [maxPixels=200000000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodePng } from '../src/image/encode-png';
import { openImage } from '../src/image/open-image';
import { RasterFileWriter } from '../src/image/raster-file-writer';
import { readRegion } from '../src/image/read-region';
import { patternRaster } from '../test/image/fixtures';

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/**
 * Resident memory split as Linux reports it: anonymous (heap, libvips buffers: what can exhaust
 * memory) and file-backed (pages of memory-mapped .v files: page cache the kernel can drop).
 */
function residentBytes(): { anon: number; file: number } {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { anon: field('RssAnon'), file: field('RssFile') };
}

async function measure(label: string, work: () => Promise<void>): Promise<void> {
  const before = residentBytes();
  const peak = { ...before };
  // libvips works on its own threads, so the event loop stays free to sample.
  const sampler = setInterval(() => {
    const now = residentBytes();
    peak.anon = Math.max(peak.anon, now.anon);
    peak.file = Math.max(peak.file, now.file);
  }, 10);
  const started = performance.now();
  await work();
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    `${label}: ${seconds.toFixed(2)} s; anonymous RSS ${mib(before.anon)} -> peak ${mib(peak.anon)} (+${mib(peak.anon - before.anon)}); ` +
      `file-backed peak +${mib(peak.file - before.file)}; process peak RSS ${mib(peakRss)}`,
  );
}

async function writePng(target: string, edge: number): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'restain-measure-'));
  const vPath = path.join(work, 'synthetic.v');
  const tile = patternRaster(512, 512);
  await measure(`RasterFileWriter ${edge}x${edge} (512 px tiles, column-major)`, async () => {
    const writer = RasterFileWriter.create(vPath, edge, edge, 3, 255);
    for (let x = 0; x < edge; x += 512) for (let y = 0; y < edge; y += 512) writer.writeRegion(x, y, tile);
    writer.close();
  });
  await measure(`encodePng ${edge}x${edge}`, () => encodePng(vPath, target));
  console.log(`PNG ${target}: ${mib(fs.statSync(target).size)}`);
  fs.rmSync(work, { recursive: true, force: true });
}

async function open(image: string, maxPixels: number): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'restain-measure-'));
  let normalised = '';
  await measure(`openImage ${path.basename(image)}`, async () => {
    const result = await openImage(image, { workDir: work, maxPixels });
    normalised = result.path;
    console.log(`  ${result.width}x${result.height} ${result.format}, ${mib(result.sourceBytes)} source, sha256 ${result.sha256.slice(0, 12)}…`);
  });
  await measure('readRegion 512x512 from the middle', async () => {
    await readRegion(normalised, { x: 1000, y: 1000, width: 512, height: 512 });
  });
  fs.rmSync(work, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const [mode, target, option] = process.argv.slice(2);
  if (mode === 'write-png' && target) return writePng(target, Number(option ?? 10_000));
  if (mode === 'open' && target) return open(target, Number(option ?? 200_000_000));
  throw new Error('usage: measure-image-memory.ts write-png <out.png> [edge] | open <image> [maxPixels]');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

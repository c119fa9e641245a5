/**
 * Browser benchmark of the result viewer (npm run bench:web): the real local platform analyses a
 * 3000 x 3000 synthetic image, the viewer opens it in Debian Chromium (playwright-core), each
 * threshold slider moves N times, and the time from the input event to the redrawn overlay on
 * screen is printed (p50 / p95 / max) against the 150 ms target, with zoom / pan frame times.
 * Options: --size <px> (default 3000), --moves <n> (default 20).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { SAMPLE_IMAGE_OPTIONS, generateSyntheticIhc } from '@restain/shared';
import { startPlatformProcess } from '../../lambdas/test/support/platform-process';
import { createJobWithImage, waitForJobs } from '../../lambdas/test/support/platform-api';
import type { RescoreTiming, ViewerTimings } from '../components/viewer/viewer-timings';
import { buildHarness } from './harness/build-harness';

const TARGET_MS = 150;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves the harness files and forwards /api to the platform (one origin, as in production). */
function startServer(root: string, api: string): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/')) {
      const upstream = http.request(`${api}${url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
      return;
    }
    const file = path.join(root, path.normalize(url.split('?')[0] === '/' ? '/index.html' : url.split('?')[0]));
    readFile(file).then((body) => res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    resolve({ url: `http://127.0.0.1:${port}`, close: () => server.close() });
  }));
}

function stats(values: number[]): string {
  if (values.length === 0) return 'no samples';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const max = sorted[sorted.length - 1];
  return `p50 ${at(0.5).toFixed(0).padStart(4)} ms  p95 ${at(0.95).toFixed(0).padStart(4)} ms  max ${max.toFixed(0).padStart(4)} ms  (n=${values.length})`;
}

const verdict = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))];
  return p95 <= TARGET_MS ? 'MEETS 150 ms' : 'OVER 150 ms';
};

/** Median of each stage over `list`, in the order the stages happen. */
function stageMedians(list: RescoreTiming[]): string {
  if (list.length === 0) return 'no samples';
  const names: string[] = [];
  for (const t of list) for (const name of Object.keys(t.stages)) if (!names.includes(name)) names.push(name);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return names.map((name) => `${name} ${median(list.map((t) => t.stages[name] ?? 0)).toFixed(1)}`).join('  ') + `  (n=${list.length})`;
}

const timings = (page: Page) => page.evaluate(() => window.__restainTimings as ViewerTimings);

/** Set a range input as a user drag does (input event; negative = from its max) and wait until its re-score is on screen. */
async function moveSlider(page: Page, label: string, value: number, wait: boolean): Promise<void> {
  const before = (await timings(page)).rescore.length;
  await page.getByLabel(label, { exact: true }).evaluate((element, v) => {
    const input = element as HTMLInputElement;
    // Negative values count down from the slider's maximum (whose range depends on the cells).
    const target = v < 0 ? Number(input.max) + v : v;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, String(target));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
  if (!wait) return;
  await page.waitForFunction((n) => (window.__restainTimings?.rescore.length ?? 0) > n, before, { timeout: 30_000 }).catch(async (error: Error) => {
    const alerts = await page.getByRole('alert').allTextContents();
    throw new Error(`${label} = ${value} was not redrawn (${error.message}); alerts: ${alerts.join(' | ') || 'none'}`);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '3000' }, moves: { type: 'string', default: '20' } } });
  const size = Number(values.size), moves = Number(values.moves);
  const work = await mkdtemp(path.join(os.tmpdir(), 'restain-bench-web-'));
  const platform = await startPlatformProcess({ dataDir: path.join(work, 'data'), workers: 1, readyTimeoutMs: 60_000 });
  let server: { url: string; close: () => void } | null = null;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    process.stdout.write(`Analysing a ${size} x ${size} synthetic image on the local platform...\n`);
    const cellCount = Math.round((150 * size * size) / (1024 * 768));
    const { image } = generateSyntheticIhc({ ...SAMPLE_IMAGE_OPTIONS, width: size, height: size, seed: 7, cellCount });
    const png = await sharp(image.data, { raw: { width: size, height: size, channels: image.channels } }).png().toBuffer();
    const job = await createJobWithImage(platform.url, png, { resolution: '40x' });
    const finished = (await waitForJobs(platform.url, [job.id], 600_000)).get(job.id);
    if (finished?.state !== 'succeeded') throw new Error(`The analysis ${finished?.state}: ${JSON.stringify(finished?.error)}`);
    await buildHarness(path.join(work, 'harness'));
    server = await startServer(path.join(work, 'harness'), platform.url);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('response', (response) => response.status() >= 400 && errors.push(`HTTP ${response.status()} for ${response.url()}`));
    const opened = Date.now();
    await page.goto(`${server.url}/?job=${job.id}`);
    await page.waitForFunction(() => (window.__restainTimings?.rescore.length ?? 0) > 0, undefined, { timeout: 120_000 });
    process.stdout.write(`Viewer ready (maps decoded, first live score drawn) ${Date.now() - opened} ms after opening\n`);
    const server0 = await page.getByTestId('live-num-pos').textContent();
    process.stdout.write(`Live positive count ${server0}, server ${JSON.stringify(finished.scoring?.num_pos)}\n\n`);

    const results: [string, number[]][] = [];
    const run = async (name: string, label: string, valuesOf: (k: number) => number, pauseMs = 0) => {
      const start = (await timings(page)).rescore.length;
      for (let k = 0; k < moves; k++) {
        await moveSlider(page, label, valuesOf(k), true);
        if (pauseMs) await page.waitForTimeout(pauseMs);
      }
      results.push([name, (await timings(page)).rescore.slice(start).map((t) => t.inputToDrawnMs)]);
    };
    await run('Minimum size', 'Minimum size', (k) => 20 + k * 7);
    await run('Maximum size', 'Maximum size', (k) => -2 - k * 40);
    await run('Marker threshold', 'Marker threshold', (k) => 60 + k * 8);
    // A drag steps one level at a time; a pause lets the prefetcher label the next thresholds.
    await run('Segmentation (drag, 1 step, 400 ms apart)', 'Segmentation threshold', (k) => 121 + k, 400);
    await run('Segmentation (jumps of 17, cold)', 'Segmentation threshold', (k) => 20 + ((k * 17) % 230));
    const segDetail = (await timings(page)).rescore.filter((t) => t.slider === 'seg');
    // A burst: 40 inputs with no waiting; only the latest runs after the current one.
    const beforeBurst = await timings(page);
    const burstStart = beforeBurst.rescore.length;
    for (let k = 0; k < 40; k++) await moveSlider(page, 'Marker threshold', 100 + k, false);
    await page.waitForFunction((n) => (window.__restainTimings?.rescore.length ?? 0) > n, burstStart, { timeout: 30_000 });
    await page.waitForTimeout(500);
    const afterBurst = await timings(page);

    // Zoom and pan: wheel steps and a drag over the stage.
    const box = await page.getByTestId('viewer-viewport').boundingBox();
    if (!box) throw new Error('No viewer stage');
    const frameStart = afterBurst.frames.length;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let k = 0; k < 40; k++) {
      await page.mouse.wheel(0, k < 20 ? -120 : 120);
      await page.waitForTimeout(16);
    }
    await page.mouse.down();
    for (let k = 0; k < 60; k++) await page.mouse.move(box.x + box.width / 2 + k * 5, box.y + box.height / 2 + k * 3, { steps: 1 });
    await page.mouse.up();
    const frames = (await timings(page)).frames.slice(frameStart);
    await page.getByLabel('Multiplex', { exact: true }).check();
    await page.waitForFunction(() => (window.__restainTimings?.composite.length ?? 0) > 0, undefined, { timeout: 60_000 });
    await page.getByLabel('Lap2', { exact: true }).uncheck();
    await page.waitForFunction(() => (window.__restainTimings?.composite.length ?? 0) > 1, undefined, { timeout: 30_000 });
    const composite = (await timings(page)).composite;

    process.stdout.write(`Slider move -> overlay redrawn, ${size} x ${size}, Chromium (headless, software), target ${TARGET_MS} ms:\n`);
    for (const [name, list] of results) process.stdout.write(`  ${name.padEnd(44)} ${stats(list)}  ${verdict(list)}\n`);
    process.stdout.write(`  seg moves, labelled segmentation cached:     ${stats(segDetail.filter((t) => t.segCached).map((t) => t.inputToDrawnMs))}\n`);
    process.stdout.write(`  seg moves, labelled on the move:             ${stats(segDetail.filter((t) => !t.segCached).map((t) => t.inputToDrawnMs))}\n`);
    process.stdout.write(`  worker time per move (all sliders):          ${stats(afterBurst.rescore.map((t) => t.workerMs))}\n`);
    process.stdout.write('Stage medians (ms; queue = input to worker start, transfer = worker done to reply, frame = reply to next frame):\n');
    process.stdout.write(`  seg, labelled on the move:  ${stageMedians(segDetail.filter((t) => !t.segCached))}\n`);
    process.stdout.write(`  seg, cached:                ${stageMedians(segDetail.filter((t) => t.segCached))}\n`);
    process.stdout.write(`  size and marker:            ${stageMedians(afterBurst.rescore.filter((t) => t.slider === 'size' || t.slider === 'marker'))}\n`);
    process.stdout.write(`Burst of 40 marker inputs: ${afterBurst.rescore.length - burstStart} re-scores ran, ${afterBurst.dropped - beforeBurst.dropped} stale requests dropped\n`);
    process.stdout.write(`Zoom / pan frame intervals:                    ${stats(frames)}\n`);
    process.stdout.write(`Multiplex re-composite (worker):               ${stats(composite)}\n`);
    await page.screenshot({ path: path.resolve('test-results/bench-web-viewer.png') });
    if (errors.length > 0) process.stdout.write(`Console errors: ${errors.join(' | ')}\n`);
  } finally {
    await browser.close();
    server?.close();
    await platform.stop();
    await rm(work, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

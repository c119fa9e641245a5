import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SAMPLE_IMAGE_OPTIONS, generateSyntheticIhc } from '@restain/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { collectPageErrors, launchChromium, screenshotTaker } from './support/browser';
import { type WebPlatform, startWebPlatform } from './support/web-platform';
import { zipEntryNames } from './support/zip-entries';

jest.setTimeout(120_000);

let web: WebPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
let shots: ReturnType<typeof screenshotTaker>;
let tempDir: string;
/** The job uploaded through the UI and followed through every step. */
let jobId = '';
let blockerId = '';

async function writePng(file: string, options: Parameters<typeof generateSyntheticIhc>[0]): Promise<string> {
  const { image } = generateSyntheticIhc(options);
  await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: image.channels } }).png().toFile(file);
  return file;
}

async function api<T>(pathname: string): Promise<T> {
  const answer = await fetch(`${web.url}${pathname}`);
  if (!answer.ok) throw new Error(`GET ${pathname} answered ${answer.status}: ${await answer.text()}`);
  return (await answer.json()) as T;
}

const idFromHref = (href: string | null) => new URL(href ?? '', 'http://x').searchParams.get('id') ?? '';

beforeAll(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'restain-web-e2e-files-'));
  await Promise.all([
    // The first upload keeps the one worker busy (~10 s) so the second is seen queued.
    writePng(path.join(tempDir, 'blocker-1024x768.png'), SAMPLE_IMAGE_OPTIONS),
    writePng(path.join(tempDir, 'ki67-1024.png'), { width: 1024, height: 1024, seed: 77, cellCount: 280, positiveFraction: 0.4 }),
    writeFile(path.join(tempDir, 'notes.png'), 'patient notes, not an image\n'),
  ]);
  web = await startWebPlatform();
  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  shots = screenshotTaker(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
  if (shots) console.log(`web e2e screenshots (test-results/web-e2e/): ${shots.taken.join(', ')}`);
});

test('the first visit shows the terms; accepting them unlocks the upload and is remembered', async () => {
  await page.goto(`${web.url}/`);
  await page.getByRole('heading', { name: 'Before you upload: terms of use' }).waitFor();
  expect(await page.locator('input[type=file]').count()).toBe(0);
  await shots.take('terms');
  const accept = page.getByRole('button', { name: 'Accept and continue' });
  expect(await accept.isDisabled()).toBe(true);
  await page.getByRole('checkbox').check();
  await accept.click();
  await page.getByText('Drop IHC images here').waitFor();
  await page.reload();
  await page.locator('input[type=file]:not([disabled])').waitFor();
});

test('a file that is not an image is refused in the browser with its reason', async () => {
  await page.locator('input[type=file]').setInputFiles(path.join(tempDir, 'notes.png'));
  const alert = page.getByRole('alert').filter({ hasText: 'notes.png' });
  await alert.waitFor();
  expect(await alert.textContent()).toBe('notes.png is not a supported image: it is text, not an image. Use PNG, JPEG, TIFF or WebP.');
  expect(await page.getByRole('button', { name: 'Start analysis of notes.png' }).count()).toBe(0);
  await shots.take('bad-file-refused');
  await page.getByRole('button', { name: 'Remove notes.png from the list' }).click();
});

test('uploads through the file input with progress; the dashboard shows queued -> running -> succeeded', async () => {
  // A slow uplink makes the upload progress visible.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 512 * 1024 });
  await page.evaluate(() => {
    const seen: number[] = ((window as unknown as { progressSeen: number[] }).progressSeen = []);
    setInterval(() => document.querySelectorAll('progress').forEach((bar) => seen.push((bar as HTMLProgressElement).value)), 50);
  });
  await page.locator('input[type=file]').setInputFiles(path.join(tempDir, 'blocker-1024x768.png'));
  await page.getByRole('button', { name: 'Start analysis of blocker-1024x768.png' }).click();
  await page.locator('progress[aria-label="Uploading blocker-1024x768.png"]').waitFor();
  await shots.take('upload-progress');
  const queuedNote = page.getByRole('status').filter({ hasText: 'Uploaded and queued' });
  await queuedNote.waitFor({ timeout: 30_000 });
  const progressSeen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
  expect(progressSeen.some((value) => value > 0.05 && value < 0.95)).toBe(true);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  blockerId = idFromHref(await queuedNote.getByRole('link', { name: 'open its result page' }).getAttribute('href'));

  await page.locator('input[type=file]').setInputFiles(path.join(tempDir, 'ki67-1024.png'));
  const item = page.getByRole('listitem', { name: 'ki67-1024.png' });
  await item.getByRole('img', { name: 'Preview of ki67-1024.png' }).waitFor();
  expect(await item.textContent()).toContain('1024 × 1024 px');
  await item.getByLabel('Resolution').selectOption('40x');
  await item.getByRole('button', { name: 'Start analysis of ki67-1024.png' }).click();
  const note = item.getByRole('status').filter({ hasText: 'Uploaded and queued' });
  await note.waitFor();
  jobId = idFromHref(await note.getByRole('link', { name: 'open its result page' }).getAttribute('href'));
  expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
  await shots.take('uploaded');

  await note.getByRole('link', { name: 'Follow it on the Jobs page' }).click();
  await page.waitForURL(/\/jobs\/$/);
  const row = page.locator(`[data-testid=job-row][data-job-id="${jobId}"]`);
  await row.waitFor();
  // The platform line (GET /api/status): the one local worker is up.
  await page.getByTestId('status-workers').waitFor();
  expect(await page.getByTestId('status-workers').textContent()).toBe('1');
  // The 1024 x 1024 job runs for several 1 s polls (4 tiles at 40x), so "running" is seen.
  // Record every state the row shows, as the dashboard updates it in place (no reloads).
  await page.evaluate((id) => {
    const states: string[] = ((window as unknown as { statesSeen: string[] }).statesSeen = []);
    const record = () => {
      const state = document.querySelector(`[data-testid=job-row][data-job-id="${id}"]`)?.getAttribute('data-state');
      if (state && states[states.length - 1] !== state) states.push(state);
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  }, jobId);
  await page.locator(`[data-job-id="${jobId}"][data-state=queued]`).waitFor();
  await row.getByText('#1').waitFor();
  await shots.take('dashboard-queued');
  await page.locator(`[data-job-id="${jobId}"][data-state=running]`).waitFor({ timeout: 60_000 });
  await shots.take('dashboard-running');
  await page.locator(`[data-job-id="${jobId}"][data-state=succeeded]`).waitFor({ timeout: 60_000 });
  await shots.take('dashboard-succeeded');
  const statesSeen = await page.evaluate(() => (window as unknown as { statesSeen: string[] }).statesSeen);
  console.log(`dashboard states seen for ${jobId}: ${statesSeen.join(' -> ')}`);
  expect(statesSeen.filter((state) => ['queued', 'running', 'succeeded'].includes(state))).toEqual(['queued', 'running', 'succeeded']);
});

test('the result page shows the scores the API gives, the six images, parameters and downloads', async () => {
  await page.locator(`[data-job-id="${jobId}"]`).getByRole('link', { name: 'Open result of ki67-1024.png' }).click();
  await page.waitForURL(/\/results\/\?id=/);
  await page.getByTestId('score-total').waitFor();
  const api1 = await api<{ version: number; scoring: Record<string, number | null> }>(`/api/jobs/${jobId}/results`);
  const shown = async (id: string) => page.getByTestId(`score-${id}`).getAttribute('data-value');
  expect(await shown('total')).toBe(String(api1.scoring.num_total));
  expect(await shown('positive')).toBe(String(api1.scoring.num_pos));
  expect(await shown('negative')).toBe(String(api1.scoring.num_neg));
  expect(await shown('percent')).toBe(String(api1.scoring.percent_pos));
  expect(await shown('hscore')).toBe(api1.scoring.h_score === null ? '' : String(api1.scoring.h_score));
  expect(api1.scoring.num_total).toBeGreaterThan(20);
  for (const name of ['Input', 'Hema', 'DAPI', 'Lap2', 'Marker', 'SegOverlaid']) {
    await page.waitForFunction((testId) => {
      const img = document.querySelector(`[data-testid="${testId}"] img`) as HTMLImageElement | null;
      return img !== null && img.complete && img.naturalWidth === 1024;
    }, `thumb-${name}`);
  }
  expect(await page.locator('table.param-table').textContent()).toContain('Segmentation threshold');
  await shots.take('result');
});

/** Presses `key` on a slider and waits for the live positive count to differ from `before` (null: it did not). */
async function moveAndWatch(name: string, key: string, before: string | undefined): Promise<string | null> {
  const slider = page.getByRole('slider', { name });
  if (key.startsWith('click@')) {
    // A real click on the track at that fraction of its width.
    const box = await slider.boundingBox();
    if (!box) throw new Error(`slider ${name} is not visible`);
    await page.mouse.click(box.x + box.width * Number(key.slice(6)), box.y + box.height / 2);
  } else {
    await slider.focus();
    await page.keyboard.press(key);
  }
  try {
    await page.waitForFunction((was) => document.querySelector('[data-testid=live-num-pos]')?.textContent?.trim() !== was, before, { timeout: 4000 });
  } catch {
    return null;
  }
  return ((await page.getByTestId('live-num-pos').textContent()) ?? '').trim();
}

test('moving the sliders re-scores live; Apply saves version 2 with those thresholds, shown after a reload', async () => {
  await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-testid=live-num-pos]')?.textContent?.trim() ?? ''), undefined, { timeout: 30_000 });
  const before = (await page.getByTestId('live-num-pos').textContent())?.trim();
  // The median-area gate at its top (0.95) drops every cell under 0.95x the median cell area.
  const gated = await moveAndWatch('Minimum size vs median cell', 'End', before);
  expect(gated).not.toBeNull();
  expect(gated).not.toBe(before);
  // The segmentation threshold alone changes the count: Seg is graded by nuclear stain, so a
  // higher threshold drops fainter nuclei first; at its top only the darkest stay.
  const moved = 'Segmentation threshold End';
  const after = await moveAndWatch('Segmentation threshold', 'End', gated ?? undefined);
  console.log(`live positive count: ${before} -> ${gated} (median-area gate End) -> ${after} (after ${moved})`);
  expect(after).not.toBeNull();
  expect(after).not.toBe(gated);
  await shots.take('slider-moved');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.waitForURL(/version=2/, { timeout: 30_000 });
  await page.reload();
  await page.getByTestId('score-total').waitFor();
  expect(await page.getByLabel('Result version').inputValue()).toBe('2');
  const api2 = await api<{ version: number; versions: number[]; scoring: Record<string, number> }>(`/api/jobs/${jobId}/results`);
  expect(api2.version).toBe(2);
  expect(api2.versions).toEqual([1, 2]);
  expect(api2.scoring.seg_thresh).toBe(Number(await page.getByRole('slider', { name: 'Segmentation threshold' }).inputValue()));
  expect(api2.scoring.size_thresh_relative).toBe(0.95);
  expect(await page.getByTestId('score-positive').getAttribute('data-value')).toBe(String(api2.scoring.num_pos));
  // The live preview (browser workers) and the server's re-score agree exactly.
  expect(String(api2.scoring.num_pos)).toBe(after);
  await shots.take('applied-version-2');
  // Reset returns the sliders to the defaults (segmentation 120): the live count is version 1's again.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.waitForFunction((want) => document.querySelector('[data-testid=live-num-pos]')?.textContent?.trim() === want, before, { timeout: 10_000 });
  expect(await page.getByRole('slider', { name: 'Segmentation threshold' }).inputValue()).toBe('120');
});

test('downloads the ZIP with every result file, and the cells CSV', async () => {
  const [zipDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download All files (ZIP)' }).click()]);
  const zipPath = path.join(tempDir, 'result.zip');
  await zipDownload.saveAs(zipPath);
  const entries = zipEntryNames(await readFile(zipPath));
  for (const name of ['Input.png', 'Hema.png', 'DAPI.png', 'Lap2.png', 'Marker.png', 'Seg.png', 'SegOverlaid.png', 'SegRefined.png', 'scoring.json', 'cells.csv', 'cells.geojson', 'manifest.json']) {
    expect(entries).toContain(name);
  }
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download Cells (CSV)' }).click()]);
  const csvPath = path.join(tempDir, 'cells.csv');
  await csvDownload.saveAs(csvPath);
  const csvLines = (await readFile(csvPath, 'utf8')).trim().split('\n');
  const api2 = await api<{ scoring: { num_total: number } }>(`/api/jobs/${jobId}/results`);
  expect(csvLines.length - 1).toBe(api2.scoring.num_total);
});

test('channel toggles switch DAPI, Lap2 and Marker in the multiplex view', async () => {
  const multiplex = page.getByRole('radio', { name: 'Multiplex' });
  if ((await multiplex.count()) > 0) await multiplex.check();
  for (const channel of ['DAPI', 'Lap2', 'Marker']) {
    const toggle = page.getByRole('checkbox', { name: channel, exact: true });
    const was = await toggle.isChecked();
    await toggle.click();
    expect(await toggle.isChecked()).toBe(!was);
  }
  await shots.take('channels-toggled');
});

test('feedback is stored with the job', async () => {
  await page.getByLabel('Feedback on this result').fill('Two touching nuclei counted as one (e2e).');
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await page.getByRole('status').filter({ hasText: 'your note is saved' }).waitFor();
  const { job } = await api<{ job: { feedback: Array<{ text: string }> } }>(`/api/jobs/${jobId}`);
  expect(job.feedback.map((entry) => entry.text)).toEqual(['Two touching nuclei counted as one (e2e).']);
});

test('on a phone the dashboard fits the screen; deleting a job asks first and removes it', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${web.url}/jobs/`);
  const row = page.locator(`[data-job-id="${blockerId}"]`);
  await row.waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await shots.take('phone-dashboard');
  await row.getByRole('button', { name: 'Delete blocker-1024x768.png' }).click();
  await row.getByRole('group', { name: 'Confirm deleting blocker-1024x768.png' }).getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
  expect((await fetch(`${web.url}/api/jobs/${blockerId}`)).status).toBe(404);
  await shots.take('phone-after-delete');
});

test('no console errors, page errors or failed requests in any step', () => {
  expect(errors).toEqual([]);
});

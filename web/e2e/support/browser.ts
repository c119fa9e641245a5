import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Where screenshots of each step go (gitignored). */
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../../test-results/web-e2e');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Console errors, uncaught page errors and failed same-origin requests of a page, collected for a final check. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Downloads hand off to the download manager, which Chromium reports as an aborted request.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') errors.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  return errors;
}

/** Numbered screenshots, in step order: 01-terms.png, 02-... */
export function screenshotTaker(page: Page): { take(name: string): Promise<string>; taken: string[] } {
  const taken: string[] = [];
  return {
    taken,
    async take(name: string) {
      // A fresh folder per run: no stale shots from an earlier run with other step numbers.
      if (taken.length === 0) await rm(SCREENSHOT_DIR, { recursive: true, force: true });
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const file = `${String(taken.length + 1).padStart(2, '0')}-${name}.png`;
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, file), fullPage: true });
      taken.push(file);
      return file;
    },
  };
}

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type PlatformProcess, startPlatformProcess } from '../../../lambdas/test/support/platform-process';

/** The web's static export the platform serves. */
export const WEB_OUT_DIR = path.resolve(__dirname, '../../out');

/** Fails with what to do when the web was not built (browser tests need the real export). */
export function assertWebBuilt(): void {
  if (!existsSync(path.join(WEB_OUT_DIR, 'index.html'))) {
    throw new Error(
      `The web app is not built: ${path.join(WEB_OUT_DIR, 'index.html')} is missing. Build it first with ` +
        '`npm run build:web` (next build in web/, run by `npm test`), then run the browser tests again.',
    );
  }
}

export interface WebPlatform {
  readonly platform: PlatformProcess;
  readonly url: string;
  /** Stops the platform and removes its data folder. */
  close(): Promise<void>;
}

/**
 * Starts `restain start` (dist/restain.js, or RESTAIN_E2E_CLI) on a free port with a temp data
 * folder and one worker, and checks it serves the web app on the same origin as /api.
 */
export async function startWebPlatform(): Promise<WebPlatform> {
  assertWebBuilt();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'restain-web-e2e-'));
  let platform: PlatformProcess;
  try {
    platform = await startPlatformProcess({ dataDir, workers: 1, cliPath: process.env.RESTAIN_E2E_CLI || undefined, readyTimeoutMs: 60_000 });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const close = async () => {
    await platform.stop('SIGTERM', 30_000).catch(() => platform.killHard());
    await rm(dataDir, { recursive: true, force: true });
  };
  const home = await fetch(`${platform.url}/`);
  const body = await home.text();
  if (home.status !== 200 || !(home.headers.get('content-type') ?? '').startsWith('text/html') || !body.includes('/_next/')) {
    await close();
    throw new Error(
      `The platform at ${platform.url} does not serve the web app (GET / answered ${home.status} ${home.headers.get('content-type')}): ` +
        'createStaticSiteRoute (lambdas/src/local-platform/static-site-route.ts) must be wired into start-platform.ts, and dist/ rebuilt.',
    );
  }
  return { platform, url: platform.url, close };
}

import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const WEB = path.resolve(__dirname, '../..');

/**
 * Bundles the result viewer into a one-page app and its workers (esbuild, production React) in
 * `outDir`, with the app's stylesheet: the benchmark measures the viewer's own code without a
 * Next build.
 */
export async function buildHarness(outDir: string): Promise<void> {
  const harnessWorkers = path.join(__dirname, 'create-workers.ts');
  await build({
    entryPoints: {
      app: path.join(__dirname, 'harness-entry.tsx'),
      'rescore-worker': path.join(WEB, 'workers/rescore-worker.ts'),
      'multiplex-worker': path.join(WEB, 'workers/multiplex-worker.ts'),
    },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    sourcemap: false,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.module.css': 'local-css', '.css': 'css' },
    logLevel: 'warning',
    plugins: [{
      // The Next build's `new Worker(new URL(...))` entry points, swapped for the fixed files above.
      name: 'harness-workers',
      setup(b) {
        b.onResolve({ filter: /\/create-workers$/ }, () => ({ path: harnessWorkers }));
      },
    }],
  });
  await copyFile(path.join(WEB, 'app/globals.css'), path.join(outDir, 'globals.css'));
  await writeFile(path.join(outDir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Restain viewer benchmark</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/globals.css"><link rel="stylesheet" href="/app.css"></head><body><div id="root"></div><script type="module" src="/app.js"></script></body></html>`);
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { ESBUILD_TARGET, EXTERNAL_MODULES, HANDLER_FILES, REPO_ROOT, handlerEntry } from '../lib/lambda/restain-function';
import { copySharpPackages } from '../lib/lambda/sharp-layer';

// What Lambda runs: each handler bundled as the stack bundles it, loaded in a folder with no
// node_modules, only the sharp layer on the module path (as /opt/nodejs/node_modules is).
let workDir: string;
let layerModules: string;
beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'restain-bundles-'));
  copySharpPackages(path.join(workDir, 'layer'), REPO_ROOT);
  layerModules = path.join(workDir, 'layer', 'nodejs', 'node_modules');
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: Object.fromEntries(HANDLER_FILES.map((file) => [file, handlerEntry(file)])),
    outdir: path.join(workDir, 'bundles'),
    bundle: true,
    platform: 'node',
    target: ESBUILD_TARGET,
    format: 'cjs',
    external: [...EXTERNAL_MODULES],
    define: { RESTAIN_CODE_VERSION: JSON.stringify('test') },
    logLevel: 'silent',
  });
}, 60_000);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('Lambda bundles', () => {
  test.each(HANDLER_FILES)('given the %s bundle and the sharp layer only, when Lambda loads it, then it exports a handler without loading a missing module', (file) => {
    const loaded = spawnSync(process.execPath, ['-e', "const m = require(process.argv[1]); if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(3); }", path.join(workDir, 'bundles', `${file}.js`)], {
      cwd: workDir,
      env: { PATH: process.env.PATH, NODE_PATH: layerModules },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect({ status: loaded.status, error: /Error: .*/.exec(loaded.stderr)?.[0] }).toEqual({ status: 0, error: undefined });
  });

  test('given the layer, when a bundle requires sharp, then the linux-x64 binding loads', () => {
    const loaded = spawnSync(process.execPath, ['-e', "process.stdout.write(require('sharp').versions.vips)"], { cwd: workDir, env: { PATH: process.env.PATH, NODE_PATH: layerModules }, encoding: 'utf8', timeout: 30_000 });
    expect(loaded.status).toBe(0);
    expect(loaded.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

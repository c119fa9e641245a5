// Bundles the Node entry points into dist/ (CommonJS) with esbuild: the `restain` CLI (which runs
// the local platform with `restain start`), the analysis worker process it starts, the engine
// worker thread, and the benchmark/evaluation scripts. sharp and onnxruntime-node stay external
// (native addons). The code version (package version + git commit) is stamped in at build time.
import { build } from 'esbuild';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short=12 HEAD', { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  const dirty = execSync('git status --porcelain --untracked-files=no', { cwd: root }).toString().trim();
  if (dirty) commit += '-dirty';
} catch {
  // Not a git checkout (e.g. an npm tarball): the package version alone identifies the code.
}

await build({
  absWorkingDir: root,
  entryPoints: {
    restain: 'lambdas/src/cli/main.ts',
    worker: 'gpu-worker/src/worker/main.ts',
    'worker-health': 'gpu-worker/src/worker/worker-health.ts',
    'engine-thread': 'gpu-worker/src/engines/engine-thread.ts',
    bench: 'gpu-worker/bench/run-bench.ts',
    'eval-data': 'gpu-worker/bench/eval-data.ts',
    'bench-api': 'lambdas/bench/bench-api.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external: ['sharp', 'onnxruntime-node', 'better-sqlite3', 'tsx', 'tsx/*'],
  define: { RESTAIN_CODE_VERSION: JSON.stringify(`${version}+${commit}`) },
  logLevel: 'warning',
});

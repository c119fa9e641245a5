/** The viewer's workers as the benchmark harness bundles them (esbuild: fixed entry files). */
export function createRescoreWorker(): Worker {
  return new Worker('/rescore-worker.js', { type: 'module', name: 'restain-rescore' });
}

export function createMultiplexWorker(): Worker {
  return new Worker('/multiplex-worker.js', { type: 'module', name: 'restain-multiplex' });
}

/** The viewer's workers, bundled by Next from these entry points. */
export function createRescoreWorker(): Worker {
  return new Worker(new URL('../../workers/rescore-worker.ts', import.meta.url), { type: 'module', name: 'restain-rescore' });
}

export function createMultiplexWorker(): Worker {
  return new Worker(new URL('../../workers/multiplex-worker.ts', import.meta.url), { type: 'module', name: 'restain-multiplex' });
}

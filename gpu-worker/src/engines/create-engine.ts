import { createBuiltinEngine } from './builtin';
import type { Engine, EngineSpec } from './engine';

export interface CreateEngineOptions {
  /** Where one-line operational notices go (e.g. CUDA fallback); default console.warn. */
  readonly log?: (line: string) => void;
}

/**
 * Builds the engine a spec describes on the calling thread. ONNX engines block their thread
 * while a tile runs: the worker uses openThreadedEngine, which calls this inside each thread.
 */
export async function createEngine(spec: EngineSpec, options: CreateEngineOptions = {}): Promise<Engine> {
  switch (spec.kind) {
    case 'builtin':
      return createBuiltinEngine(spec.options);
    case 'onnx': {
      // Loaded on demand: processes that never run a model (the API, Lambdas) never load onnxruntime-node.
      // (require, not import(): it works the same bundled and in tests that run the TypeScript.)
      const { createOnnxEngine } = require('./onnx/onnx-engine') as typeof import('./onnx/onnx-engine');
      return createOnnxEngine(spec, { log: options.log });
    }
    case 'nuclei': {
      const { createNucleiEngine } = require('./nuclei/nuclei-engine') as typeof import('./nuclei/nuclei-engine');
      return createNucleiEngine(spec, options.log);
    }
  }
}

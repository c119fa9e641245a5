import path from 'node:path';

/**
 * The nucleus model that ships with Restain (gpu-worker/models/restain-nuclei). Its own module so
 * that naming it does not load onnxruntime-node.
 */
export function defaultNucleusModelDir(): string {
  // From source this file is gpu-worker/src/engines/nuclei/; bundled it is dist/ at the repository root.
  return __filename.endsWith('.ts')
    ? path.resolve(__dirname, '../../../models/restain-nuclei')
    : path.resolve(__dirname, '../gpu-worker/models/restain-nuclei');
}

// What other deployables (lambdas/: the API, upload validation, the local platform) use of the worker.
export * from './image';
export { analyzeImage, type AnalyzeRequest, type AnalyzeResult } from './analysis/analyze-image';
export { DEFAULT_ANALYZE_OPTIONS, DEFAULT_MAX_PIXELS, type AnalyzeOptions } from './analysis/analyze-options';
export { OUTPUT_FILES, channelFile } from './analysis/channel-files';
export { postprocessResult, resultFolderMaps, type PostprocessSummary, type ResultMaps } from './analysis/postprocess-result';
export { ResultStaging } from './analysis/result-staging';
export { createEngine, type CreateEngineOptions } from './engines/create-engine';
export type { Engine, EngineSpec } from './engines/engine';
// Re-scoring uploaded maps in the API (DeepLIIF /api/postprocess): maps as raster files, and the DAB map.
export { rasterFileMaps } from './analysis/postprocess-result';
export { writeDabMap } from './analysis/dab-map';
// The analysis worker (the local platform spawns `node dist/worker.js`; these are for in-process use and tests).
export { processJob, type ProcessJobOptions, type ProcessOutcome } from './worker/process-job';
export { runWorker, type RunWorkerOptions, type WorkerStats } from './worker/run-worker';
export { drainDeadLetters, keepDrainingDeadLetters, deadLetterError, failDeadLetteredJob, type DeadLetterDeps, type DrainSummary } from './worker/dead-letters';
export type { WorkerDeps, WorkerLog } from './worker/worker-deps';
export {
  ANALYSIS_DEAD_LETTER_QUEUE_NAME,
  ANALYSIS_QUEUE_NAME,
  WORKER_DEFAULTS,
  analysisQueuePolicy,
  readWorkerConfig,
  stateDatabaseFile,
  type WorkerConfig,
} from './worker/worker-config';
export { analysisCancelled } from './analysis/run-tiles';
export { ANALYSIS_COMMANDS, runCli, type CliCommand } from './cli/run-cli';
export { CODE_VERSION } from './analysis/code-version';

// What other deployables (lambdas/: the API, upload validation, the local platform) use of the worker.
export * from './image';
export { analyzeImage, type AnalyzeRequest, type AnalyzeResult } from './analysis/analyze-image';
export { DEFAULT_ANALYZE_OPTIONS, DEFAULT_MAX_PIXELS, type AnalyzeOptions } from './analysis/analyze-options';
export { OUTPUT_FILES, channelFile } from './analysis/channel-files';
export { postprocessResult, resultFolderMaps, type PostprocessSummary, type ResultMaps } from './analysis/postprocess-result';
export { ResultStaging } from './analysis/result-staging';
export { createEngine, type CreateEngineOptions } from './engines/create-engine';
export type { Engine, EngineSpec } from './engines/engine';

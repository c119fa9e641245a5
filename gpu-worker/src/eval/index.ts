export * from './evaluate-directories';
export * from './format-eval-report';
export { findPrediction, listGroundTruth, readRgb } from './read-eval-inputs';
export type { GtFile, GtKind } from './read-eval-inputs';

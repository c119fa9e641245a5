export { generateSyntheticIhc, type SyntheticCell, type SyntheticIhc } from './generate-synthetic-ihc';
export { renderTruthMask, truthToPoints, type SyntheticTruthPoint } from './truth-outputs';
export {
  SAMPLE_IMAGE_OPTIONS,
  resolveSyntheticOptions,
  type ResolvedSyntheticOptions,
  type SyntheticBackgroundOptions,
  type SyntheticOptions,
} from './synthetic-options';

export { createOnnxEngine, type OnnxEngineOptions, type OnnxEngineSpec } from './onnx-engine';
export {
  parseModelManifest,
  SEGMENTATION_INPUTS,
  TRANSLATION_CHANNELS,
  type DisplayAdjustment,
  type ModelManifest,
  type Normalisation,
  type OutputScaling,
  type SegmentationInput,
  type SegmentationNet,
  type TranslationChannel,
  type TranslationNet,
} from './manifest';
export { listModelFiles, MANIFEST_FILE, readModelFolder } from './read-model-folder';

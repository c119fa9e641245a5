export { heavyGraph, IDENTITY, pointwiseGraph, type NetNames, type PointwiseNet } from './conv-nets';
export { encodeOnnxModel, type OnnxDim, type OnnxGraph, type OnnxInitializer, type OnnxNode } from './onnx-protobuf';
export {
  DEEPLIIF_FUSION_WEIGHTS,
  TEST_SEGMENTATION_NETS,
  TEST_TRANSLATION_NETS,
  writeBenchModel,
  writeTestModel,
  type TestModelOptions,
} from './write-test-model';
export { timeTiles, type TileTiming } from './time-tiles';

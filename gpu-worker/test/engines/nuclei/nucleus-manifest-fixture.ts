/** A complete, valid nucleus model manifest (the shipped model's settings) for tests to vary. */
export const VALID_NUCLEUS_MANIFEST = {
  name: 'restain-nuclei',
  version: '1.0.0',
  file: 'model.onnx',
  downsample: 2,
  inputMultiple: 8,
  normalisation: { scale: 1 / 127.5, offset: -1 },
  thresholds: { centre: 0.4, mask: 0.5, positive: 0.5, positiveMinDabOd: 0.15, positiveDabOd: 0.3 },
  minCentreDistanceMicrons: 1.5,
  minRadiusMicrons: 1.5,
  minMaskFraction: 0.9,
  centredRadiusFactor: 1,
  maskStainFraction: 1.5,
};

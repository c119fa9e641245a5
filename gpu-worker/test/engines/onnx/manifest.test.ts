import { RestainError } from '@restain/shared';
import { parseModelManifest } from '../../../src/engines/onnx/manifest';

const valid = {
  name: 'm',
  version: '1',
  inputSize: 512,
  normalisation: { kind: 'tanh' },
  translation: ['Hema', 'DAPI', 'Lap2', 'Marker'].map((channel, i) => ({ file: `G${i + 1}.onnx`, channel })),
  segmentation: ['Hema', 'DAPI', 'Lap2', 'Marker', 'IHC'].map((input, i) => ({ file: `S${i}.onnx`, input })),
  segmentationFusionWeights: [0.25, 0.25, 0.25, 0, 0.25],
};

function errorOf(value: unknown): RestainError {
  try {
    parseModelManifest(value);
  } catch (error) {
    return error as RestainError;
  }
  throw new Error('expected parseModelManifest to throw');
}

describe('parseModelManifest', () => {
  it('accepts a DeepLIIF-shaped manifest and fills defaults', () => {
    const manifest = parseModelManifest(valid);
    expect(manifest.outputScaling).toEqual({ kind: 'tanh', rounding: 'truncate' });
    expect(manifest.segmentationChannels).toEqual([0, 1, 2]);
    expect(manifest.segmentation.map((s) => s.input)).toEqual(['Hema', 'DAPI', 'Lap2', 'Marker', 'IHC']);
  });

  it('reads meanStd normalisation, display adjustments and named tensors', () => {
    const manifest = parseModelManifest({
      ...valid,
      normalisation: { kind: 'meanStd', mean: [0.1, 0.2, 0.3], std: [0.5, 0.5, 0.5] },
      outputScaling: { kind: 'unit', rounding: 'nearest' },
      translation: valid.translation.map((t) =>
        t.channel === 'DAPI' ? { ...t, input: 'ihc', output: 'dapi', display: { grayscale: true, zeroChannels: ['R'] } } : t,
      ),
      segmentationChannels: [2, 1, 0],
    });
    expect(manifest.normalisation).toEqual({ kind: 'meanStd', mean: [0.1, 0.2, 0.3], std: [0.5, 0.5, 0.5] });
    expect(manifest.translation[1]).toEqual({
      file: 'G2.onnx',
      channel: 'DAPI',
      input: 'ihc',
      output: 'dapi',
      display: { grayscale: true, zeroChannels: ['R'] },
    });
    expect(manifest.segmentationChannels).toEqual([2, 1, 0]);
  });

  it.each([
    ['a non-object', [], /manifest: expected an object but received \[\]/],
    ['no name', { ...valid, name: undefined }, /name: expected a non-empty string but received nothing/],
    ['a fractional inputSize', { ...valid, inputSize: 51.5 }, /inputSize: expected a positive integer/],
    ['an unknown normalisation', { ...valid, normalisation: { kind: 'zscore' } }, /normalisation.kind: expected one of tanh, meanStd but received "zscore"/],
    ['a zero std', { ...valid, normalisation: { kind: 'meanStd', mean: [0, 0, 0], std: [1, 0, 1] } }, /normalisation.std\[1\]: expected a positive number/],
    ['a missing channel', { ...valid, translation: valid.translation.slice(0, 3) }, /translation: expected each of Hema, DAPI, Lap2, Marker exactly once/],
    ['a duplicated channel', { ...valid, translation: [...valid.translation.slice(0, 3), { file: 'x.onnx', channel: 'Hema' }] }, /exactly once/],
    ['an unknown seg input', { ...valid, segmentation: [{ file: 'a.onnx', input: 'CD3' }], segmentationFusionWeights: [1] }, /segmentation\[0\].input: expected one of IHC, Hema, DAPI, Lap2, Marker/],
    ['a weight count that differs', { ...valid, segmentationFusionWeights: [0.5, 0.5] }, /segmentationFusionWeights: expected 5 weights \(one per segmentation net\) but received \[0.5,0.5\]/],
    ['a file outside the folder', { ...valid, translation: [{ file: '../G1.onnx', channel: 'Hema' }, ...valid.translation.slice(1)] }, /translation\[0\].file: expected a path inside the model folder/],
    ['a bad display channel', { ...valid, translation: [{ ...valid.translation[0], display: { zeroChannels: ['A'] } }, ...valid.translation.slice(1)] }, /display.zeroChannels\[0\]: expected one of R, G, B/],
    ['a seg plane index out of range', { ...valid, segmentationChannels: [0, 1, 3] }, /segmentationChannels\[2\]: expected an output plane index/],
  ])('rejects %s with MODEL_INVALID', (_what, value, message) => {
    const error = errorOf(value);
    expect(error).toBeInstanceOf(RestainError);
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toMatch(message);
  });
});

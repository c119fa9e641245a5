import { parseJobParameters, parseThresholdFields } from '../../src/api/job-parameters';

describe('parseJobParameters', () => {
  test('accepts numbers and strings alike, and the named values', () => {
    expect(parseJobParameters({ resolution: '20X', seg_thresh: '100', size_thresh: 'auto', size_thresh_upper: 'none', marker_thresh: 'auto' })).toEqual({
      scale: { kind: 'magnification', magnification: '20x' },
      postprocess: { segThresh: 100, sizeThresh: 'auto', sizeThreshUpper: null, sizeThreshRelative: 0.35, markerThresh: 'auto' },
      page: 0,
    });
    expect(parseJobParameters({ pixel_size: '0.5', size_thresh: 30, size_thresh_upper: 4000, size_thresh_relative: '0', marker_thresh: 0, page: 2 })).toMatchObject({
      scale: { kind: 'pixelSize', pixelSizeMicrons: 0.5 },
      postprocess: { sizeThresh: 30, sizeThreshUpper: 4000, sizeThreshRelative: 0, markerThresh: 0 },
      page: 2,
    });
    expect(parseJobParameters({}).scale).toEqual({ kind: 'auto' });
  });

  test.each([
    [{ resolution: 40 }, 'resolution'],
    [{ resolution: '5x' }, 'resolution'],
    [{ seg_thresh: true }, 'seg_thresh'],
    [{ seg_thresh: '' }, 'seg_thresh'],
    [{ seg_thresh: '1e2' }, 'seg_thresh'],
    [{ size_thresh: 'big' }, 'size_thresh'],
    [{ size_thresh_upper: -5 }, 'size_thresh_upper'],
    [{ marker_thresh: 256 }, 'marker_thresh'],
    [{ size_thresh_relative: 1 }, 'size_thresh_relative'],
    [{ size_thresh_relative: '' }, 'size_thresh_relative'],
    [{ size_thresh_relative: -0.1 }, 'size_thresh_relative'],
    [{ pixel_size: 'fine' }, 'pixel_size'],
    [{ page: -1 }, 'page'],
  ])('rejects %j naming %s', (fields, name) => {
    expect(() => parseJobParameters(fields)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(name) }));
  });

  test('thresholds left out keep the base values', () => {
    const base = { segThresh: 90, sizeThresh: 12, sizeThreshUpper: 500, markerThresh: 'none' as const };
    expect(parseThresholdFields({ marker_thresh: '40' }, base)).toEqual({ ...base, markerThresh: 40 });
  });
});

import { weightedQuantiles } from '../../src/scale/weighted-quantiles';

describe('weightedQuantiles', () => {
  it('returns the smallest value whose cumulative weight reaches each quantile', () => {
    const values = Float64Array.from([5, 1, 3, 2, 4]);
    const equal = Float64Array.from([1, 1, 1, 1, 1]);
    expect(weightedQuantiles(values, equal, [0, 0.2, 0.5, 0.61, 1])).toEqual([1, 1, 3, 4, 5]);
  });

  it('lets heavy values pull the quantiles and ignores non-positive weights', () => {
    const values = Float64Array.from([1, 2, 3, 100]);
    expect(weightedQuantiles(values, Float64Array.from([1, 1, 8, 0]), [0.5])).toEqual([3]);
    expect(weightedQuantiles(values, Float64Array.from([1, -5, 0, 2]), [0.5])).toEqual([100]);
  });

  it('answers NaN when nothing carries weight', () => {
    expect(weightedQuantiles(Float64Array.from([1, 2]), Float64Array.from([0, 0]), [0.5])).toEqual([Number.NaN]);
  });
});

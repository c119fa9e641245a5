import { roundHalfEven } from '../../src/postprocess';

describe('roundHalfEven', () => {
  it("matches Python's round on exact ties and near-ties", () => {
    expect(roundHalfEven(12.25, 1)).toBe(12.2); // Python 12.2; toFixed gives 12.3
    expect(roundHalfEven(12.75, 1)).toBe(12.8);
    expect(roundHalfEven(12.35, 1)).toBe(12.3); // 12.35 is 12.3499.. in binary
    expect(roundHalfEven(0.125, 2)).toBe(0.12);
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfEven(3.5)).toBe(4);
    expect(roundHalfEven((49 / 400) * 100, 1)).toBe(12.2);
    expect(roundHalfEven(7.017543859649122, 1)).toBe(7);
    expect(roundHalfEven(-2.5)).toBe(-2);
  });
});

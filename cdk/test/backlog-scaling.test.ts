import { backlogSteps } from '../lib/workers/backlog-scaling';

/** The band of `steps` that holds `backlog` (lower inclusive, upper exclusive, as never equal to a whole number). */
function workersFor(steps: ReturnType<typeof backlogSteps>, backlog: number): number {
  const band = steps.filter((s) => (s.lower === undefined || backlog > s.lower) && (s.upper === undefined || backlog < s.upper));
  if (band.length !== 1) throw new Error(`Expected one band for backlog ${backlog} but found ${band.length}`);
  return band[0].workers;
}

describe('backlogSteps', () => {
  test.each([
    [0, 4, 2],
    [0, 6, 1],
    [1, 5, 3],
    [2, 3, 5],
  ])('given min %i, max %i and %i jobs per worker, when the backlog is 0..60, then workers = clamp(ceil(backlog / per))', (min, max, per) => {
    const steps = backlogSteps(min, max, per);
    for (let backlog = 0; backlog <= 60; backlog++) {
      expect(workersFor(steps, backlog)).toBe(Math.min(max, Math.max(min, Math.ceil(backlog / per))));
    }
  });

  test('given any steps, when inspected, then they are contiguous and no bound is a whole number', () => {
    const steps = backlogSteps(0, 8, 3);
    for (let i = 1; i < steps.length; i++) expect(steps[i].lower).toBe(steps[i - 1].upper);
    for (const bound of steps.flatMap((s) => [s.lower, s.upper]).filter((b) => b !== undefined)) expect(Number.isInteger(bound)).toBe(false);
  });

  test('given an empty queue and minWorkers 0, when asked, then no worker is wanted; one job wants one', () => {
    const steps = backlogSteps(0, 3, 4);
    expect(workersFor(steps, 0)).toBe(0);
    expect(workersFor(steps, 1)).toBe(1);
  });

  test('given impossible bounds, when asked, then it throws saying what was expected', () => {
    expect(() => backlogSteps(3, 2, 1)).toThrow(/Expected 0 <= minWorkers <= maxWorkers/);
    expect(() => backlogSteps(0, 2, 0)).toThrow(/backlogPerWorker/);
  });
});

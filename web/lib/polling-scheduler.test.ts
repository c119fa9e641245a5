import { DEFAULT_POLL_PLAN, nextPollDelay, startPoller } from './polling-scheduler';

describe('nextPollDelay', () => {
  test('fast while active, slow when idle, paused when hidden', () => {
    expect(nextPollDelay({ active: true, hidden: false, consecutiveErrors: 0 })).toBe(DEFAULT_POLL_PLAN.activeMs);
    expect(nextPollDelay({ active: false, hidden: false, consecutiveErrors: 0 })).toBe(DEFAULT_POLL_PLAN.idleMs);
    expect(nextPollDelay({ active: true, hidden: true, consecutiveErrors: 0 })).toBeNull();
  });

  test('backs off exponentially after errors, up to the ceiling', () => {
    const plan = { activeMs: 1000, idleMs: 10_000, maxBackoffMs: 30_000 };
    expect([1, 2, 3, 4, 5, 40].map((errors) => nextPollDelay({ active: true, hidden: false, consecutiveErrors: errors }, plan))).toEqual([
      2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });
});

describe('startPoller', () => {
  let hidden = false;
  let visibilityListener: () => void = () => undefined;
  beforeEach(() => {
    jest.useFakeTimers();
    hidden = false;
  });
  afterEach(() => jest.useRealTimers());

  function poller(results: Array<boolean | Error>) {
    const calls: number[] = [];
    const poll = jest.fn(async () => {
      calls.push(Date.now());
      const next = results.shift() ?? false;
      if (next instanceof Error) throw next;
      return { active: next };
    });
    const handle = startPoller({
      poll,
      isHidden: () => hidden,
      onVisibilityChange: (listener) => {
        visibilityListener = listener;
        return () => (visibilityListener = () => undefined);
      },
      plan: { activeMs: 1000, idleMs: 10_000, maxBackoffMs: 60_000 },
    });
    return { poll, calls, handle };
  }

  test('polls at once, then every second while active and every 10 s once idle', async () => {
    const start = Date.now();
    const { calls, handle } = poller([true, true, false, false]);
    await jest.advanceTimersByTimeAsync(12_500);
    expect(calls.map((at) => at - start)).toEqual([0, 1000, 2000, 12_000]);
    handle.stop();
  });

  test('pauses while hidden and polls as soon as the tab shows again', async () => {
    const { poll, handle } = poller([true, true, true, true]);
    await jest.advanceTimersByTimeAsync(0);
    expect(poll).toHaveBeenCalledTimes(1);
    hidden = true;
    visibilityListener();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(poll).toHaveBeenCalledTimes(1);
    hidden = false;
    visibilityListener();
    await jest.advanceTimersByTimeAsync(0);
    expect(poll).toHaveBeenCalledTimes(2);
    handle.stop();
  });

  test('backs off after a failed poll and recovers after a success', async () => {
    const start = Date.now();
    const { calls, handle } = poller([new Error('down'), new Error('down'), true, true]);
    await jest.advanceTimersByTimeAsync(9000);
    // Active is assumed until a poll says otherwise: 1 s doubled per error.
    expect(calls.map((at) => at - start)).toEqual([0, 2000, 6000, 7000, 8000]);
    handle.stop();
  });

  test('refresh polls now; stop ends polling', async () => {
    const { poll, handle } = poller([false, false, false]);
    await jest.advanceTimersByTimeAsync(100);
    handle.refresh();
    await jest.advanceTimersByTimeAsync(0);
    expect(poll).toHaveBeenCalledTimes(2);
    handle.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(poll).toHaveBeenCalledTimes(2);
  });
});

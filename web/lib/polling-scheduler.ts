/** How often the dashboard asks for news. */
export interface PollPlan {
  /** While a job is queued or running: progress should feel live. */
  readonly activeMs: number;
  /** When nothing runs: still notices jobs started elsewhere (CLI, drop folder). */
  readonly idleMs: number;
  /** Ceiling of the back-off after failed polls. */
  readonly maxBackoffMs: number;
}

export const DEFAULT_POLL_PLAN: PollPlan = { activeMs: 1000, idleMs: 10_000, maxBackoffMs: 60_000 };

export interface PollState {
  readonly active: boolean;
  readonly hidden: boolean;
  readonly consecutiveErrors: number;
}

/** Milliseconds until the next poll, or null to pause (the tab is hidden: polls resume when it shows). */
export function nextPollDelay(state: PollState, plan: PollPlan = DEFAULT_POLL_PLAN): number | null {
  if (state.hidden) return null;
  const base = state.active ? plan.activeMs : plan.idleMs;
  if (state.consecutiveErrors === 0) return base;
  return Math.min(plan.maxBackoffMs, base * 2 ** Math.min(state.consecutiveErrors, 10));
}

export interface PollerOptions {
  /** One poll; resolves whether anything is still active. A rejection counts as a failed poll. */
  readonly poll: () => Promise<{ active: boolean }>;
  readonly isHidden: () => boolean;
  /** Subscribes to visibility changes; returns the unsubscribe. */
  readonly onVisibilityChange: (listener: () => void) => () => void;
  readonly plan?: PollPlan;
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

/** A running poller: `refresh` polls now (after an upload or delete) and reschedules. */
export interface Poller {
  refresh(): void;
  stop(): void;
}

/**
 * Polls adaptively: fast while something is active, slow when idle, backing off on errors,
 * paused while the tab is hidden and polling at once when it shows again. Never overlaps polls.
 */
export function startPoller(options: PollerOptions): Poller {
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let active = true;
  let errors = 0;
  let timer: unknown;
  let running = false;
  let again = false;
  let stopped = false;

  const schedule = () => {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    const delay = nextPollDelay({ active, hidden: options.isHidden(), consecutiveErrors: errors }, options.plan);
    if (delay !== null && !stopped) timer = setTimer(run, delay);
  };
  const run = async () => {
    timer = undefined;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      active = (await options.poll()).active;
      errors = 0;
    } catch {
      errors += 1;
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      return void run();
    }
    schedule();
  };
  const unsubscribe = options.onVisibilityChange(() => {
    if (options.isHidden()) schedule();
    else void run();
  });
  void run();
  return {
    refresh: () => void run(),
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimer(timer);
      unsubscribe();
    },
  };
}

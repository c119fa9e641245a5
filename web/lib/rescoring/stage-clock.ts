/** Stage name -> milliseconds spent in it (summed when a stage repeats). */
export type StageTimes = Record<string, number>;

/**
 * Times consecutive stages of one piece of work: each `lap(stage)` charges the time since the
 * previous lap (or the start) to `stage`, and leaves a performance measure of it for DevTools.
 */
export class StageClock {
  readonly stages: StageTimes = {};
  private last = performance.now();

  lap(stage: string): void {
    const now = performance.now();
    this.stages[stage] = (this.stages[stage] ?? 0) + now - this.last;
    if (typeof performance.measure === 'function') {
      // A trace records the measure when made; clearing it keeps the timeline buffer from growing.
      performance.measure(`restain:${stage}`, { start: this.last, end: now });
      performance.clearMeasures(`restain:${stage}`);
    }
    this.last = now;
  }
}

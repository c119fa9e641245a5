/** Per-stage wall-clock timings in milliseconds, recorded into manifest.json. */
export class StageTimer {
  private readonly timings: Record<string, number> = {};

  async time<T>(stage: string, work: () => Promise<T> | T): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.timings[stage] = Math.round((this.timings[stage] ?? 0) + performance.now() - start);
    }
  }

  toJSON(): Record<string, number> {
    return { ...this.timings };
  }
}

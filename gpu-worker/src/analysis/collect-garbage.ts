import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * A full garbage collection now. Post-processing a large image drops several hundred MB of maps
 * at once; V8 collects them only when it next feels pressure, which on a 10000 x 10000 image can
 * come after the next maps are allocated (peak RSS 1.4 to 1.8 GB depending on timing). Collecting
 * at the hand-over keeps the peak at what is live. Node exposes gc() only behind a flag, which can
 * be set at run time for contexts created afterwards.
 */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null; // not available: the collector runs on its own schedule
    }
  }
  collect?.();
}

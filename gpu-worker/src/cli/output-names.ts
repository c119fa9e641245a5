import path from 'node:path';
import type { Scoring } from '@restain/shared';

/**
 * Where each input's results go: straight into `out` for one image, `out/<name>/` for several
 * (the name without its extension; the extension is kept where two inputs would collide).
 */
export function outputDirsFor(inputs: string[], out: string): { input: string; outDir: string }[] {
  if (inputs.length === 1) return [{ input: inputs[0], outDir: out }];
  const stems = inputs.map((input) => path.parse(input).name);
  const used = new Set<string>();
  return inputs.map((input, index) => {
    const stem = stems[index];
    let name = stems.filter((other) => other === stem).length > 1 ? path.basename(input).replace(/\./g, '_') : stem;
    for (let n = 2; used.has(name); n++) name = `${stem}-${n}`;
    used.add(name);
    return { input, outDir: path.join(out, name) };
  });
}

/** One line summarising an image's score. */
export function formatScoreLine(name: string, scoring: Scoring): string {
  return `${name}: ${scoring.num_total} cells, ${scoring.num_pos} positive, ${scoring.num_neg} negative, ${scoring.percent_pos}% positive, H-score ${scoring.h_score}`;
}

/**
 * Merge touching nuclei that are one nucleus cut in two: their shared boundary is long for their
 * size (a cut across a nucleus is about its diameter long, while two touching nuclei meet at a
 * neck narrower than either) and shows no intensity valley (two nuclei pressed together leave a
 * paler line between them). A pair merges when the shared 4-adjacent boundary is at least
 * `neckRatio` x the smaller piece's equivalent diameter and the mean OD along it is at least
 * `valleyRatio` x the smaller of the two pieces' mean OD; pairs are taken longest neck first and a
 * merged nucleus is not merged again. DAB-stained pieces (mean `dab` >= `stainedDab`) never merge:
 * on the real data merging them lost positives that were separate nuclei in dense brown clusters.
 * Relabels in place (1..kept) and returns the number kept.
 */
export function mergeSplitNuclei(
  labels: Int32Array,
  count: number,
  smooth: Float32Array,
  width: number,
  height: number,
  neckRatio: number,
  valleyRatio: number,
  dab: Float32Array,
  stainedDab: number,
): number {
  if (!(neckRatio > 0) || count < 2) return count;
  const area = new Float64Array(count + 1);
  const sum = new Float64Array(count + 1);
  const sumDab = new Float64Array(count + 1);
  // Shared boundary per pair (key a * (count + 1) + b, a < b): pixel pairs and their summed OD.
  const pairLength = new Map<number, number>();
  const pairOd = new Map<number, number>();
  const stride = count + 1;
  const note = (a: number, b: number, od: number): void => {
    const key = a < b ? a * stride + b : b * stride + a;
    pairLength.set(key, (pairLength.get(key) ?? 0) + 1);
    pairOd.set(key, (pairOd.get(key) ?? 0) + od);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const l = labels[i];
      if (!l) continue;
      area[l]++;
      sum[l] += smooth[i];
      sumDab[l] += dab[i];
      if (x < width - 1) {
        const r = labels[i + 1];
        if (r && r !== l) note(l, r, 0.5 * (smooth[i] + smooth[i + 1]));
      }
      if (y < height - 1) {
        const d = labels[i + width];
        if (d && d !== l) note(l, d, 0.5 * (smooth[i] + smooth[i + width]));
      }
    }
  }
  if (pairLength.size === 0) return count;
  const candidates: Array<{ a: number; b: number; score: number }> = [];
  for (const [key, length] of pairLength) {
    const a = Math.floor(key / stride);
    const b = key - a * stride;
    if (sumDab[a] >= stainedDab * area[a] || sumDab[b] >= stainedDab * area[b]) continue;
    const smaller = Math.min(area[a], area[b]);
    const score = length / (2 * Math.sqrt(smaller / Math.PI));
    if (score < neckRatio) continue;
    const boundaryOd = (pairOd.get(key) ?? 0) / length;
    if (boundaryOd < valleyRatio * Math.min(sum[a] / area[a], sum[b] / area[b])) continue;
    candidates.push({ a, b, score });
  }
  if (candidates.length === 0) return count;
  candidates.sort((p, q) => q.score - p.score);
  const into = new Int32Array(count + 1);
  for (let l = 1; l <= count; l++) into[l] = l;
  const merged = new Uint8Array(count + 1);
  for (const { a, b } of candidates) {
    if (merged[a] || merged[b]) continue;
    merged[a] = merged[b] = 1;
    into[b] = a;
  }
  // One pass: each pixel takes its merged label's number in raster order of first appearance.
  const number = new Int32Array(count + 1);
  let kept = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!l) continue;
    const to = into[l];
    if (!number[to]) number[to] = ++kept;
    labels[i] = number[to];
  }
  return kept;
}

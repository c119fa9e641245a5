/**
 * Minimum-cost rectangular assignment (Hungarian method with potentials, O(r^2 c)), the
 * problem scipy.optimize.linear_sum_assignment solves. `cost` is row-major rows x cols.
 * Returns, per row, its column (every row is assigned when rows <= cols; else per column).
 */
export function solveAssignment(cost: Float64Array, rows: number, cols: number): Array<[number, number]> {
  if (rows === 0 || cols === 0) return [];
  if (rows > cols) {
    const t = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = cost[r * cols + c];
    return solveAssignment(t, cols, rows).map(([c, r]) => [r, c]);
  }
  const n = rows, m = cols;
  const u = new Float64Array(n + 1), v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1), way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity, j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const pairs: Array<[number, number]> = [];
  for (let j = 1; j <= m; j++) if (p[j] !== 0) pairs.push([p[j] - 1, j - 1]);
  return pairs.sort((a, b) => a[0] - b[0]);
}

/**
 * Connected groups of a bipartite candidate graph (edges = [row, col]); solving each group on
 * its own gives the same optimum as one big assignment when non-edges cost the same everywhere.
 * Rows and columns without an edge are left out; each group lists its rows and columns ascending.
 */
export function bipartiteGroups(edges: ReadonlyArray<readonly [number, number]>, rows: number, cols: number): Array<{ rows: number[]; cols: number[] }> {
  const parent = Int32Array.from({ length: rows + cols }, (_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    return k;
  };
  const linked = new Uint8Array(rows + cols);
  for (const [r, c] of edges) {
    linked[r] = linked[rows + c] = 1;
    const a = find(r), b = find(rows + c);
    if (a !== b) parent[a] = b;
  }
  const groups = new Map<number, { rows: number[]; cols: number[] }>();
  for (let k = 0; k < rows + cols; k++) {
    if (!linked[k]) continue;
    const root = find(k);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { rows: [], cols: [] }));
    if (k < rows) g.rows.push(k);
    else g.cols.push(k - rows);
  }
  return [...groups.values()];
}

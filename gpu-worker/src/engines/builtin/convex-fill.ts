/**
 * Fill each nucleus out to its convex hull, taking only background pixels: nuclei are convex, and
 * pale vesicular nuclei stain mostly at their envelope, so thresholding leaves open rings and
 * crescents whose hull is the nucleus. Row extents give the hull (Andrew's monotone chain over the
 * row end points), rasterised row by row.
 */
export function fillConvexHulls(labels: Int32Array, count: number, width: number, height: number): void {
  const x0 = new Int32Array(count + 1).fill(width);
  const x1 = new Int32Array(count + 1).fill(-1);
  const y0 = new Int32Array(count + 1).fill(height);
  const y1 = new Int32Array(count + 1).fill(-1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const l = labels[i];
      if (!l) continue;
      if (x < x0[l]) x0[l] = x;
      if (x > x1[l]) x1[l] = x;
      if (y < y0[l]) y0[l] = y;
      if (y > y1[l]) y1[l] = y;
    }
  }
  const points = new Float64Array(4 * (height + 2));
  const hull = new Float64Array(4 * (height + 2) + 2);
  for (let l = 1; l <= count; l++) {
    if (x1[l] < 0) continue;
    // End points of the label in each row (as pixel centres), sorted by y then x.
    let np = 0;
    for (let y = y0[l]; y <= y1[l]; y++) {
      let lo = -1;
      let hi = -1;
      for (let x = x0[l], i = y * width + x0[l]; x <= x1[l]; x++, i++) {
        if (labels[i] !== l) continue;
        if (lo < 0) lo = x;
        hi = x;
      }
      if (lo < 0) continue;
      points[np * 2] = lo;
      points[np * 2 + 1] = y;
      np++;
      if (hi !== lo) {
        points[np * 2] = hi;
        points[np * 2 + 1] = y;
        np++;
      }
    }
    const nh = monotoneChain(points, np, hull);
    fillPolygonRows(hull, nh, l, labels, width, y0[l], y1[l]);
  }
}

/** Convex hull of points sorted by (y, x); writes vertices in order, returns their count. */
function monotoneChain(p: Float64Array, n: number, out: Float64Array): number {
  if (n < 3) {
    for (let i = 0; i < n * 2; i++) out[i] = p[i];
    return n;
  }
  const cross = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number =>
    (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k >= 2 && cross(out[(k - 2) * 2], out[(k - 2) * 2 + 1], out[(k - 1) * 2], out[(k - 1) * 2 + 1], p[i * 2], p[i * 2 + 1]) <= 0) k--;
    out[k * 2] = p[i * 2];
    out[k * 2 + 1] = p[i * 2 + 1];
    k++;
  }
  for (let i = n - 2, t = k + 1; i >= 0; i--) {
    while (k >= t && cross(out[(k - 2) * 2], out[(k - 2) * 2 + 1], out[(k - 1) * 2], out[(k - 1) * 2 + 1], p[i * 2], p[i * 2 + 1]) <= 0) k--;
    out[k * 2] = p[i * 2];
    out[k * 2 + 1] = p[i * 2 + 1];
    k++;
  }
  return k - 1;
}

/** Give background pixels inside the convex polygon (pixel centres, inclusive) to `label`. */
function fillPolygonRows(hull: Float64Array, n: number, label: number, labels: Int32Array, width: number, yFrom: number, yTo: number): void {
  if (n < 3) return;
  for (let y = yFrom; y <= yTo; y++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const ax = hull[i * 2];
      const ay = hull[i * 2 + 1];
      const j = i + 1 === n ? 0 : i + 1;
      const bx = hull[j * 2];
      const by = hull[j * 2 + 1];
      if ((ay <= y && by >= y) || (by <= y && ay >= y)) {
        const x = ay === by ? Math.min(ax, bx) : ax + ((y - ay) * (bx - ax)) / (by - ay);
        const x2 = ay === by ? Math.max(ax, bx) : x;
        if (x < lo) lo = x;
        if (x2 > hi) hi = x2;
      }
    }
    const from = Math.ceil(lo - 1e-9);
    const to = Math.floor(hi + 1e-9);
    for (let x = from, i = y * width + from; x <= to; x++, i++) if (labels[i] === 0) labels[i] = label;
  }
}

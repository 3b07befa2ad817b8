/**
 * Minimum-cost maximum-cardinality bipartite matching (Hungarian method with
 * potentials). Used to pair old combinator branches with new ones: first as
 * many compatible pairs as possible, then, among those, the pairing that
 * explains the change with the fewest differences, so identical branches
 * pair with each other whatever their order.
 */

/** cost[i][j] is the price of pairing row i with column j, or undefined when they cannot pair. Returns col index per row (-1 when unpaired). */
export function minCostMatching(cost: Array<Array<number | undefined>>, rows: number, cols: number): number[] {
  const result = new Array<number>(rows).fill(-1);
  if (rows === 0 || cols === 0) return result;
  let total = 1;
  for (const r of cost) for (const c of r) if (c !== undefined) total += c;
  // A missing edge costs more than every real edge together, so cardinality wins first.
  const missing = total * (Math.min(rows, cols) + 1);
  const transpose = rows > cols;
  const n = transpose ? cols : rows;
  const m = transpose ? rows : cols;
  const at = (i: number, j: number): number => {
    const c = transpose ? cost[j]![i] : cost[i]![j];
    return c === undefined ? missing : c;
  };
  // 1-based arrays, as in the textbook formulation.
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(m + 1).fill(0);
  const p = new Array<number>(m + 1).fill(0);
  const way = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(m + 1).fill(Infinity);
    const used = new Array<boolean>(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= m; j++) {
    const i = p[j]!;
    if (i === 0) continue;
    const row = transpose ? j - 1 : i - 1;
    const col = transpose ? i - 1 : j - 1;
    const c = cost[row]![col];
    if (c !== undefined) result[row] = col;
  }
  return result;
}

/**
 * allOf / anyOf / oneOf / not. Two combinators of the same shape are
 * compared branch by branch after pairing each old branch with the new
 * branch it is compatible with (see matching.ts); a branch left without a
 * partner means the union lost (or the intersection gained) a member.
 */
import type { Ctx } from './context.js';
import { canonical, child } from './json.js';
import type { Branch, Node } from './normalize.js';
import { compare, compareRaw } from './compare.js';
import { minCostMatching } from './matching.js';
import { disjoint } from './disjoint.js';
import { isAnnotation } from './catalog.js';

function distinct(branches: Branch[]): Branch[] {
  const seen = new Set<string>();
  const out: Branch[] = [];
  for (const b of branches) {
    const key = b.key || (b.key = 'raw:' + canonical(b.node.raw));
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(b);
  }
  return out;
}

function criterionWidened(o: Node, u: Node): boolean {
  const oc = o.criterion;
  const uc = u.criterion;
  const oneO = o.arity === 1;
  const oneU = u.arity === 1;
  return uc === 'anyOf' || (oneO && oneU) || (oneO && uc === 'oneOf') || (oneU && oc === 'allOf');
}

export function compareCombined(ctx: Ctx, o: Node, u: Node, path: string): void {
  if (o.criterion !== u.criterion) {
    if (!criterionWidened(o, u)) {
      ctx.add('COMBINED_TYPE_CHANGED', path, o.criterion, u.criterion);
      return;
    }
    ctx.add('COMBINED_TYPE_EXTENDED', path, o.criterion, u.criterion);
  }
  const os = distinct(o.branches!);
  const us = distinct(u.branches!);
  if (ctx.tessera && u.criterion === 'oneOf') duplicatedOneOfBranches(ctx, o, u, path);
  if (os.length < us.length) ctx.add(u.criterion === 'allOf' ? 'PRODUCT_TYPE_EXTENDED' : 'SUM_TYPE_EXTENDED', path, os.length, us.length);
  else if (os.length > us.length) ctx.add(o.criterion === 'allOf' ? 'PRODUCT_TYPE_NARROWED' : 'SUM_TYPE_NARROWED', path, os.length, us.length);

  // Usually the branches are the same, in the same order (type: [string, null] on both sides). When
  // each pairs with its counterpart without a single difference, that pairing is a perfect matching of
  // cost 0, so the optimum adds nothing: no need for the other pairs or the matching.
  const diagonal: Ctx[] = [];
  if (os.length === us.length) {
    for (let i = 0; i < os.length; i++) {
      const ob = os[i]!;
      const sub = ctx.sub();
      compare(sub, ob.node, us[i]!.node, ob.seg === null ? path : path + '/' + ob.seg);
      diagonal.push(sub);
      if (sub.changes.length > 0) break;
    }
    if (diagonal.length === os.length && diagonal.every((d) => d.changes.length === 0)) return;
  }

  const found: Ctx[][] = [];
  const cost: Array<Array<number | undefined>> = [];
  for (const [i, ob] of os.entries()) {
    const row: Ctx[] = [];
    const crow: Array<number | undefined> = [];
    const p = ob.seg === null ? path : path + '/' + ob.seg;
    for (const [j, ub] of us.entries()) {
      let sub = i === j ? diagonal[i] : undefined;
      if (sub === undefined) {
        sub = ctx.sub();
        compare(sub, ob.node, ub.node, p);
      }
      const ok = sub.compatible();
      row.push(sub);
      crow.push(ok ? sub.changes.length : undefined);
    }
    found.push(row);
    cost.push(crow);
  }
  const pairing = minCostMatching(cost, os.length, us.length);
  let matched = 0;
  pairing.forEach((j, i) => {
    if (j < 0) return;
    matched++;
    ctx.addAll(found[i]![j]!);
  });
  if (matched < Math.min(os.length, us.length)) {
    ctx.add('COMBINED_TYPE_SUBSCHEMAS_CHANGED', path);
    if (ctx.tessera) explainLeftovers(ctx, found, pairing, us.length);
  }
  if (ctx.tessera && u.criterion === 'oneOf') {
    const grown = new Set<number>(us.keys());
    pairing.forEach((j, i) => {
      if (j >= 0 && found[i]![j]!.changes.every((c) => isAnnotation(c.rule))) grown.delete(j);
    });
    oneOfOverlaps(ctx, us, grown, path);
  }
}

/**
 * Tessera: a oneOf branch written twice rejects everything it accepts (each
 * such instance matches two branches), so a duplicate the old side did not
 * have is breaking, however distinct() collapses it for the pairing.
 */
function duplicatedOneOfBranches(ctx: Ctx, o: Node, u: Node, path: string): void {
  const count = (n: Node): Map<string, number> => {
    const m = new Map<string, number>();
    for (const b of n.branches!) {
      const key = b.key || (b.key = 'raw:' + canonical(b.node.raw));
      m.set(key, (m.get(key) ?? 0) + 1);
    }
    return m;
  };
  const before = o.criterion === 'oneOf' ? count(o) : new Map<string, number>();
  for (const [key, n] of count(u)) {
    if (n < 2 || (before.get(key) ?? 0) >= 2) continue;
    const segs = u.branches!.filter((b) => b.key === key).map((b) => b.seg);
    ctx.add('ONE_OF_BRANCHES_MAY_OVERLAP', path, undefined, segs.slice(0, 2));
  }
}

/**
 * Tessera: an instance that matches two oneOf branches is rejected, so a
 * branch that is new or accepts more (`grown`) breaks whatever the old
 * schema accepted in the branches it may now overlap. Confluent treats oneOf
 * as anyOf here; we stay conservative: "may overlap" unless disjoint.ts
 * proves otherwise.
 */
export function oneOfOverlaps(ctx: Ctx, us: Branch[], grown: Set<number>, path: string): void {
  const model = ctx.env.opts.contentModel;
  const seen = new Set<string>();
  for (const j of grown) {
    for (const [k, other] of us.entries()) {
      if (k === j) continue;
      const pair = j < k ? `${j}:${k}` : `${k}:${j}`;
      if (seen.has(pair)) continue;
      seen.add(pair);
      if (disjoint(us[j]!.node, other.node, model)) continue;
      ctx.add('ONE_OF_BRANCHES_MAY_OVERLAP', path, undefined, [us[j]!.seg, other.seg]);
    }
  }
}

/**
 * Tessera profile: say what changed inside the branches that found no
 * compatible partner, by pairing the leftovers with their closest
 * counterpart (fewest differences). Confluent reports only the summary.
 */
function explainLeftovers(ctx: Ctx, found: Ctx[][], pairing: number[], cols: number): void {
  const usedCols = new Set(pairing.filter((j) => j >= 0));
  const rows = pairing.map((j, i) => (j < 0 ? i : -1)).filter((i) => i >= 0);
  const freeCols = [...Array(cols).keys()].filter((j) => !usedCols.has(j));
  const cost = rows.map((i) => freeCols.map((j) => found[i]![j]!.changes.length));
  const second = minCostMatching(cost, rows.length, freeCols.length);
  second.forEach((k, r) => {
    if (k >= 0) ctx.addAll(found[rows[r]!]![freeCols[k]!]!);
  });
}

export function compareNot(ctx: Ctx, o: Node, u: Node, path: string): void {
  const a = (o.raw as { not?: unknown }).not;
  const b = (u.raw as { not?: unknown }).not;
  const p = child(path, 'not');
  // "not X" accepts more exactly when X accepts less: compare the other way round.
  const sub = ctx.sub();
  compareRaw(sub, u, b, o, a, p);
  if (sub.changes.length === 0) return;
  ctx.add(sub.compatible() ? 'NOT_TYPE_NARROWED' : 'NOT_TYPE_EXTENDED', p, a, b);
}

/**
 * Tessera profile: when a schema object says several things at once
 * ({"type":"string","enum":[...]}), pair its facets by role (type with
 * type, enum with enum...) instead of matching them as anonymous allOf
 * members. The verdict is the same; the report names the actual change
 * ("enum value removed") instead of "allOf members changed".
 */
import type { Ctx } from './context.js';
import type { Node } from './normalize.js';
import { child } from './json.js';
import { accepts, listedValues } from './accepts.js';

function role(n: Node): string {
  switch (n.kind) {
    case 'enum':
    case 'const':
    case 'not':
    case 'conditional':
    case 'ref':
    case 'extref':
      return n.kind;
    case 'combined':
      return n.synthetic ? 'type' : n.criterion!;
    default:
      return 'type';
  }
}

export function isFacetSet(n: Node): boolean {
  return n.kind === 'combined' && n.synthetic === true && n.criterion === 'allOf';
}

const quiet = new WeakMap<Node, Node>();

/** The same node without its annotations: they were compared once on the outer nodes. */
function withoutAnnotations(n: Node): Node {
  if (!n.ann) return n;
  let q = quiet.get(n);
  if (!q) quiet.set(n, (q = { ...n, ann: false, mkey: undefined }));
  return q;
}

function facetsOf(n: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  const list = isFacetSet(n) ? n.branches!.map((b) => b.node) : [withoutAnnotations(n)];
  for (const f of list) if (!out.has(role(f))) out.set(role(f), f);
  return out;
}

/** The keyword a role stands for, so the change points at it. */
const KEYWORD: Record<string, string> = { enum: 'enum', const: 'const', not: 'not', conditional: 'if', ref: '$ref', extref: '$ref', type: 'type', allOf: 'allOf', anyOf: 'anyOf', oneOf: 'oneOf' };

export function compareFacets(ctx: Ctx, o: Node, u: Node, path: string, compare: (ctx: Ctx, o: Node, u: Node, path: string) => void): void {
  const a = facetsOf(o);
  const b = facetsOf(u);
  // A combinator whose keyword changed (oneOf -> anyOf beside a "type") is the same facet: compareCombined
  // judges the switch (COMBINED_TYPE_EXTENDED / _CHANGED) instead of a removal plus an addition.
  const oldCombinators = [...a.keys()].filter((r) => COMBINATORS.has(r) && !b.has(r));
  const newCombinators = [...b.keys()].filter((r) => COMBINATORS.has(r) && !a.has(r));
  const switched = new Map<string, string>();
  for (let i = 0; i < Math.min(oldCombinators.length, newCombinators.length); i++) switched.set(oldCombinators[i]!, newCombinators[i]!);
  // enum and const are one role when only one of them is on each side: {"const":"a"} is {"enum":["a"]}.
  const partner = (r: string): string | undefined => {
    if (b.has(r)) return r;
    const sw = switched.get(r);
    if (sw !== undefined) return sw;
    const other = r === 'enum' ? 'const' : r === 'const' ? 'enum' : undefined;
    return other !== undefined && !a.has(other) && b.has(other) ? other : undefined;
  };
  const pairedB = new Set<string>();
  for (const [r, fa] of a) {
    const rb = partner(r);
    if (rb !== undefined) {
      pairedB.add(rb);
      compare(ctx, fa, b.get(rb)!, path);
    } else ctx.add(r === 'enum' ? 'ENUM_REMOVED' : 'CONSTRAINT_REMOVED', child(path, KEYWORD[r] ?? r), r, undefined);
  }
  // When the old side lists its values, a new facet that accepts each of them rejects nothing old.
  const listed = listedValues(a.get('enum') ?? a.get('const') ?? o);
  for (const [r, fb] of b) {
    if (pairedB.has(r)) continue;
    if (listed && listed.every((v) => accepts(fb, v) === true)) continue;
    ctx.add(r === 'enum' ? 'ENUM_ADDED' : 'CONSTRAINT_ADDED', child(path, KEYWORD[r] ?? r), undefined, r);
  }
}

const COMBINATORS = new Set(['allOf', 'anyOf', 'oneOf']);

/**
 * The recursive walk. compare(ctx, old, new, path) records, in ctx, every
 * difference between the two nodes, named by rule id and judged later by the
 * catalog (backward direction: "new must accept what old accepted").
 */
import { ACTIVE, Ctx, type PairResult } from './context.js';
import { child, deepEqual, sameLeaf, type RawObject } from './json.js';
import { deref, nodeOf, type Node } from './normalize.js';
import { compareString, compareNumber, compareEnum, compareConst, compareByValue, compareDeclaredType } from './scalar.js';
import { compareObject } from './object.js';
import { compareArray } from './array.js';
import { compareCombined, compareNot } from './combinator.js';
import { compareFacets, isFacetSet } from './facets.js';
import { PHYSICAL_TYPE_KEY, physicalChange } from './physical.js';
import { disjoint } from './disjoint.js';

/**
 * Descend into a pair of subschema values. Besides $ref (guarded on nodes),
 * a schema can only recurse through a cyclic object graph (YAML aliases
 * can build one): the (old, new) raw pairs on the stack guard against that.
 */
export function compareRaw(ctx: Ctx, o: Node, oRaw: unknown, u: Node, uRaw: unknown, path: string): void {
  if (sameLeaf(oRaw, uRaw, o.doc.draft === u.doc.draft)) return;
  const oNode = oRaw === undefined ? undefined : nodeOf(o.doc, oRaw);
  const uNode = uRaw === undefined ? undefined : nodeOf(u.doc, uRaw);
  if (typeof oRaw !== 'object' || oRaw === null || typeof uRaw !== 'object' || uRaw === null) {
    compare(ctx, oNode, uNode, path);
    return;
  }
  const active = ctx.env.rawActive;
  const partners = active.get(oRaw);
  if (partners === uRaw || (Array.isArray(partners) && partners.includes(uRaw))) return;
  if (partners === undefined) active.set(oRaw, uRaw);
  else active.set(oRaw, Array.isArray(partners) ? [...partners, uRaw] : [partners, uRaw]);
  try {
    compare(ctx, oNode, uNode, path);
  } finally {
    if (partners === undefined) active.delete(oRaw);
    else active.set(oRaw, partners);
  }
}

export function compare(ctx: Ctx, o0: Node | undefined, u0: Node | undefined, path: string): void {
  if (!o0 && !u0) return;
  if (!o0) {
    ctx.add('SCHEMA_ADDED', path, undefined, u0!.raw);
    return;
  }
  if (!u0) {
    ctx.add('SCHEMA_REMOVED', path, o0.raw, undefined);
    return;
  }
  // Every pair asked for counts, memoised or not: replaying a result is work too.
  ctx.count();
  const o = deref(o0);
  const u = deref(u0);
  // A schema can only be met again, by another route or recursively, through a $ref: memoise those pairs, walk the rest.
  if (o === o0 && u === u0) {
    compareNodes(ctx, o, u, path);
    return;
  }
  const env = ctx.env;
  const pairs = (env.pairs ??= new Map());
  const key = pairKey(o, u);
  const known = pairs.get(key);
  if (known === ACTIVE) {
    // Being compared further up: a recursive schema. That comparison reports what differs.
    env.cut = true;
    return;
  }
  if (known !== undefined) {
    if (known.cyclic) env.cut = true;
    ctx.replay(known, path);
    return;
  }
  pairs.set(key, ACTIVE);
  const outerCut = env.cut;
  env.cut = false;
  const sub = ctx.sub();
  try {
    compareNodes(sub, o, u, path);
  } catch (e) {
    pairs.delete(key);
    throw e;
  }
  const cyclic = (env.cut as boolean | undefined) === true;
  env.cut = outerCut || cyclic;
  const result: PairResult = { changes: [], cyclic };
  for (const c of sub.changes) {
    const rel = c.path.slice(path.length);
    const r: PairResult['changes'][number] = { rule: c.rule, rel, origin: c.origin ?? key + ' ' + rel + ' ' + c.rule };
    if (c.old !== undefined) r.old = c.old;
    if (c.new !== undefined) r.new = c.new;
    if (c.cyclic) r.cyclic = true;
    result.changes.push(r);
  }
  pairs.set(key, result);
  ctx.replay(result, path);
}

const ids = new WeakMap<object, number>();
let nextId = 0;
function idOf(v: object): number {
  let id = ids.get(v);
  if (id === undefined) ids.set(v, (id = ++nextId));
  return id;
}

/**
 * What a node compares as: its document, raw object and which facet of it.
 * Facet nodes are built afresh each time, so identity has to come from these.
 */
function nodeKey(n: Node): string {
  if (n.mkey !== undefined) return n.mkey;
  const raw = typeof n.raw === 'object' && n.raw !== null ? idOf(n.raw) : String(n.raw);
  return (n.mkey = `${idOf(n.doc)}.${raw}.${n.kind}.${n.criterion ?? ''}.${n.integer ? 1 : 0}${n.synthetic ? 1 : 0}${n.ann ? 1 : 0}`);
}

function pairKey(o: Node, u: Node): string {
  return nodeKey(o) + '|' + nodeKey(u);
}

/** The comparison proper of one pair (compare() memoises it). */
function compareNodes(ctx: Ctx, o: Node, u: Node, path: string): void {
  if (ctx.tessera && (isFacetSet(o) || isFacetSet(u)) && o.kind !== 'false' && u.kind !== 'empty') {
    compareAnnotations(ctx, o, u, path);
    compareFacets(ctx, o, u, path, compare);
    return;
  }
  // An enum or const accepts only its values: judged by value against any other kind of schema.
  if (o.kind !== u.kind && (o.kind === 'enum' || o.kind === 'const')) {
    compareAnnotations(ctx, o, u, path);
    const before = ctx.changes.length;
    if (compareByValue(ctx, o, u, path)) return;
    ctx.changes.length = before;
  }
  if (o.kind !== 'combined' && u.kind === 'combined') {
    if (widenedIntoCombined(ctx, o, u, path)) return;
  } else if (o.kind === 'combined' && u.kind !== 'combined') {
    if (narrowedOutOfCombined(ctx, o, u, path)) return;
  }
  if (o.kind !== u.kind) {
    // Nothing is accepted by false, and {} / true accept everything: no difference matters.
    if (o.kind === 'false' || u.kind === 'empty') return;
    ctx.add('TYPE_CHANGED', path, typeLabel(o), typeLabel(u));
    return;
  }
  compareAnnotations(ctx, o, u, path);
  if (ctx.tessera) compareDeclaredType(ctx, o, u, path);
  switch (o.kind) {
    case 'string':
      return compareString(ctx, o, u, path);
    case 'number':
      return compareNumber(ctx, o, u, path);
    case 'enum':
      return compareEnum(ctx, o, u, path);
    case 'const':
      return compareConst(ctx, o, u, path);
    case 'combined':
      return compareCombined(ctx, o, u, path);
    case 'not':
      return compareNot(ctx, o, u, path);
    case 'object':
      return compareObject(ctx, o, u, path);
    case 'array':
      return compareArray(ctx, o, u, path);
    case 'conditional':
      if (ctx.tessera) compareConditional(ctx, o, u, path);
      return;
    case 'extref':
      if (o.ref !== u.ref) ctx.add('EXTERNAL_REFERENCE_CHANGED', path + '/$ref', o.ref, u.ref);
      return;
    default:
      return;
  }
}

/** A plain schema became a union (or a one-branch wrapper): fine when some branch accepts everything it did. */
function widenedIntoCombined(ctx: Ctx, o: Node, u: Node, path: string): boolean {
  const branches = u.branches!;
  if (u.arity === 1) {
    const sub = ctx.sub();
    compare(sub, o, branches[0]!.node, path);
    if (sub.compatible()) {
      ctx.addAll(sub);
      return true;
    }
    return false;
  }
  if (u.criterion === 'allOf') return false;
  // Keep the branch that explains the change with the fewest differences.
  let best: Ctx | undefined;
  let bestNode: Node | undefined;
  for (const b of branches) {
    const sub = ctx.sub();
    compare(sub, o, b.node, path);
    if (sub.compatible() && (!best || sub.changes.length < best.changes.length)) {
      best = sub;
      bestNode = b.node;
    }
    if (best && best.changes.length === 0) break;
  }
  if (!best) return false;
  ctx.addAll(best);
  ctx.add('SUM_TYPE_EXTENDED', path);
  if (ctx.tessera && u.criterion === 'oneOf') {
    // What the old schema accepted now sits in one branch; it must not match another too.
    const chosen = branches.findIndex((b) => b.node === bestNode);
    const model = ctx.env.opts.contentModel;
    for (const [k, b] of branches.entries()) {
      if (k !== chosen && !disjoint(o, b.node, model)) ctx.add('ONE_OF_BRANCHES_MAY_OVERLAP', path, undefined, [branches[chosen]!.seg, b.seg]);
    }
  }
  return true;
}

function narrowedOutOfCombined(ctx: Ctx, o: Node, u: Node, path: string): boolean {
  const branches = o.branches!;
  if (o.arity === 1) {
    const sub = ctx.sub();
    compare(sub, branches[0]!.node, u, path);
    if (sub.compatible()) {
      ctx.addAll(sub);
      return true;
    }
    return false;
  }
  if (o.criterion !== 'allOf') return ctx.tessera && u.kind !== 'empty' && coversEveryBranch(ctx, o, u, path);
  let best: Ctx | undefined;
  for (const b of branches) {
    const sub = ctx.sub();
    compare(sub, b.node, u, path);
    if (sub.compatible() && (!best || sub.changes.length < best.changes.length)) best = sub;
    if (best && best.changes.length === 0) break;
  }
  if (!best) return false;
  ctx.addAll(best);
  ctx.add('PRODUCT_TYPE_NARROWED', path);
  return true;
}

/**
 * Tessera: a union (anyOf/oneOf) replaced by one schema that accepts what
 * every branch accepted is a widening. Confluent calls it a type change.
 */
function coversEveryBranch(ctx: Ctx, o: Node, u: Node, path: string): boolean {
  const subs: Ctx[] = [];
  for (const b of o.branches!) {
    const sub = ctx.sub();
    compare(sub, b.node, u, b.seg === null ? path : path + '/' + b.seg);
    if (!sub.compatible()) return false;
    subs.push(sub);
  }
  for (const sub of subs) ctx.addAll(sub);
  ctx.add('SUM_TYPE_MERGED', path, o.criterion, undefined);
  return true;
}

export function typeLabel(n: Node): string {
  if (n.kind === 'number') return n.integer ? 'integer' : 'number';
  if (n.kind === 'combined') return n.synthetic && n.criterion === 'anyOf' ? 'type union' : n.criterion!;
  if (n.kind === 'empty') return 'any';
  if (n.kind === 'extref') return `$ref ${n.ref}`;
  return n.kind;
}

const CONFLUENT_ANNOTATIONS: Record<string, string> = { $id: 'ID_CHANGED', id: 'ID_CHANGED', title: 'TITLE_CHANGED', description: 'DESCRIPTION_CHANGED', default: 'DEFAULT_CHANGED' };
const TESSERA_ANNOTATIONS: Record<string, string> = { ...CONFLUENT_ANNOTATIONS, examples: 'EXAMPLES_CHANGED', $comment: 'COMMENT_CHANGED', deprecated: 'DEPRECATED_CHANGED' };

/** Walk the keys actually present (usually two or three) rather than probing every annotation. */
function compareAnnotations(ctx: Ctx, o: Node, u: Node, path: string): void {
  const a = o.ann && typeof o.raw === 'object' ? o.raw : undefined;
  const b = u.ann && typeof u.raw === 'object' ? u.raw : undefined;
  if (!a && !b) return;
  const table = ctx.tessera ? TESSERA_ANNOTATIONS : CONFLUENT_ANNOTATIONS;
  // "id" is an annotation only in draft-04; later drafts spell it $id.
  const idA = o.doc.draft === 4 ? 'id' : '$id';
  const idB = u.doc.draft === 4 ? 'id' : '$id';
  if (a) {
    for (const k in a) {
      const rule = table[k];
      if (rule === undefined || ((k === 'id' || k === '$id') && k !== idA)) continue;
      const vb = b ? b[rule === 'ID_CHANGED' ? idB : k] : undefined;
      if (!deepEqual(a[k], vb)) ctx.add(rule, path, a[k], vb);
    }
  }
  if (b) {
    for (const k in b) {
      const rule = table[k];
      if (rule === undefined || ((k === 'id' || k === '$id') && k !== idB)) continue;
      // Already judged from the old side when the old side has it too.
      if (a && (rule === 'ID_CHANGED' ? a[idA] !== undefined : a[k] !== undefined)) continue;
      ctx.add(rule, path, undefined, b[k]);
    }
  }
  if (ctx.tessera) {
    const pa = a?.[PHYSICAL_TYPE_KEY];
    const pb = b?.[PHYSICAL_TYPE_KEY];
    const rule = pa === pb ? undefined : physicalChange(pa, pb);
    if (rule) ctx.add(rule, `${path}/${PHYSICAL_TYPE_KEY}`, pa, pb);
  }
}

/**
 * Under the same `if`, an instance meets `then` on both sides or `else` on
 * both sides, so each branch is compared with its counterpart (as allOf
 * members are); an absent branch accepts everything. A different `if` routes
 * instances differently: not compared, assumed breaking.
 */
function compareConditional(ctx: Ctx, o: Node, u: Node, path: string): void {
  const a = o.raw as RawObject;
  const b = u.raw as RawObject;
  if (!deepEqual(a.if, b.if)) {
    ctx.add('CONDITIONAL_CHANGED', path);
    return;
  }
  compareRaw(ctx, o, a.then, u, b.then, child(path, 'then'));
  compareRaw(ctx, o, a.else, u, b.else, child(path, 'else'));
}

/**
 * Keyword-level comparisons for strings, numbers, enum and const. Each
 * bound is judged by the direction it moved: a lower bound that goes up, or
 * an upper bound that goes down, rejects values the old schema accepted.
 */
import type { Ctx } from './context.js';
import { canonical, child, num, type RawObject } from './json.js';
import type { Node } from './normalize.js';
import { accepts, listedValues } from './accepts.js';
import { comparePatterns } from './regex.js';

function obj(n: Node): RawObject {
  return typeof n.raw === 'object' ? n.raw : {};
}

/** ADDED / REMOVED / INCREASED / DECREASED for one numeric keyword. */
export function bound(ctx: Ctx, prefix: string, keyword: string, a: number | undefined, b: number | undefined, path: string): void {
  if (a === b) return;
  const p = child(path, keyword);
  if (a === undefined) ctx.add(`${prefix}_ADDED`, p, undefined, b);
  else if (b === undefined) ctx.add(`${prefix}_REMOVED`, p, a, undefined);
  else if (a < b) ctx.add(`${prefix}_INCREASED`, p, a, b);
  else if (a > b) ctx.add(`${prefix}_DECREASED`, p, a, b);
}

/** Format pairs where the second accepts every value the first does. */
const FORMAT_WIDENINGS = new Set([
  'email>idn-email',
  'hostname>idn-hostname',
  'uri>iri',
  'uri-reference>iri-reference',
  'uri>uri-reference',
  'iri>iri-reference',
  'uri-reference>iri-reference',
]);

const STRING_KEYS = new Set(['maxLength', 'minLength', 'pattern', 'format']);
const NUMBER_KEYS = new Set(['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'multipleOf']);

/** Whether either side uses one of the keywords: walks the few keys present instead of probing each keyword. */
function anyOf(a: RawObject, b: RawObject, keys: ReadonlySet<string>): boolean {
  for (const k in a) if (keys.has(k)) return true;
  for (const k in b) if (keys.has(k)) return true;
  return false;
}

export function compareString(ctx: Ctx, o: Node, u: Node, path: string): void {
  const a = obj(o);
  const b = obj(u);
  if (!anyOf(a, b, STRING_KEYS)) return;
  bound(ctx, 'MAX_LENGTH', 'maxLength', num(a.maxLength), num(b.maxLength), path);
  bound(ctx, 'MIN_LENGTH', 'minLength', num(a.minLength), num(b.minLength), path);
  const pa = typeof a.pattern === 'string' ? a.pattern : undefined;
  const pb = typeof b.pattern === 'string' ? b.pattern : undefined;
  const pp = child(path, 'pattern');
  // The empty pattern matches every string: a pattern equivalent to it ("", ".*", "^[^]*$") constrains nothing.
  if (pa === undefined && pb !== undefined) {
    if (comparePatterns('', pb) !== 'equal') ctx.add('PATTERN_ADDED', pp, undefined, pb);
  }
  else if (pa !== undefined && pb === undefined) ctx.add('PATTERN_REMOVED', pp, pa, undefined);
  else if (pa !== undefined && pb !== undefined && pa !== pb) {
    // Decided by automaton inclusion where the patterns allow it (regex.ts); otherwise assumed to break.
    const rel = comparePatterns(pa, pb);
    if (rel === 'wider') ctx.add('PATTERN_WIDENED', pp, pa, pb);
    else if (rel === 'narrower') ctx.add('PATTERN_NARROWED', pp, pa, pb);
    else if (rel !== 'equal') ctx.add('PATTERN_CHANGED', pp, pa, pb);
  }
  if (!ctx.tessera) return;
  // Confluent ignores "format"; for a warehouse column it is the type (date vs timestamp).
  const fa = typeof a.format === 'string' ? a.format : undefined;
  const fb = typeof b.format === 'string' ? b.format : undefined;
  const fp = child(path, 'format');
  if (fa === fb) return;
  if (fa === undefined) ctx.add('FORMAT_ADDED', fp, undefined, fb);
  else if (fb === undefined) ctx.add('FORMAT_REMOVED', fp, fa, undefined);
  else if (FORMAT_WIDENINGS.has(`${fa}>${fb}`)) ctx.add('FORMAT_WIDENED', fp, fa, fb);
  else ctx.add('FORMAT_CHANGED', fp, fa, fb);
}

/** One side of a numeric range: the value and whether it is itself excluded. */
interface Limit {
  value: number;
  exclusive: boolean;
  /** The keyword that states it, and the value written there (draft-04 writes an exclusive bound at maximum/minimum). */
  keyword: string;
  written: number;
}

/**
 * The effective lower or upper bound of a number schema: the tightest of
 * minimum/exclusiveMinimum (or maximum/exclusiveMaximum), reading draft-04's
 * boolean exclusive* as "the bound at minimum is excluded". Comparing
 * these, not the keywords one by one, is what makes exclusiveMinimum 10 ->
 * minimum 10 a relaxation and a redundant keyword no change at all.
 */
function limit(raw: RawObject, side: 'lower' | 'upper'): Limit | undefined {
  const incKey = side === 'lower' ? 'minimum' : 'maximum';
  const excKey = side === 'lower' ? 'exclusiveMinimum' : 'exclusiveMaximum';
  const inc = num(raw[incKey]);
  const flag = raw[excKey];
  const exc = num(flag);
  const candidates: Limit[] = [];
  if (inc !== undefined) candidates.push(flag === true ? { value: inc, exclusive: true, keyword: excKey, written: inc } : { value: inc, exclusive: false, keyword: incKey, written: inc });
  if (exc !== undefined) candidates.push({ value: exc, exclusive: true, keyword: excKey, written: exc });
  let best: Limit | undefined;
  for (const c of candidates) {
    if (!best || tighter(c, best, side)) best = c;
  }
  return best;
}

/** a admits fewer values than b. */
function tighter(a: Limit, b: Limit, side: 'lower' | 'upper'): boolean {
  if (a.value !== b.value) return side === 'lower' ? a.value > b.value : a.value < b.value;
  return a.exclusive && !b.exclusive;
}

/** Over the integers an exclusive bound is an inclusive one: > 9.5 and >= 10 admit the same integers. */
function onIntegers(l: Limit | undefined, side: 'lower' | 'upper'): Limit | undefined {
  if (!l) return l;
  let v: number;
  if (side === 'lower') v = l.exclusive ? Math.floor(l.value) + 1 : Math.ceil(l.value);
  else v = l.exclusive ? Math.ceil(l.value) - 1 : Math.floor(l.value);
  return { ...l, value: v, exclusive: false };
}

const show = (l: Limit, side: 'lower' | 'upper'): string => `${side === 'lower' ? '>' : '<'}${l.exclusive ? '' : '='} ${l.value}`;

/**
 * One bound of a number schema. Same kind of bound on both sides (both
 * inclusive or both exclusive): the keyword's own rule. A bound that turns
 * from inclusive to exclusive or back: *_BOUND_RELAXED / *_TIGHTENED, at
 * the exclusive keyword, which is the one that appeared or went away, so
 * both directions of a full check name the same place.
 */
function compareLimit(ctx: Ctx, o: Node, u: Node, side: 'lower' | 'upper', path: string): void {
  let a = limit(obj(o), side);
  let b = limit(obj(u), side);
  if (o.integer && u.integer) {
    a = onIntegers(a, side);
    b = onIntegers(b, side);
  }
  if (!a && !b) return;
  const prefix = (l: Limit): string => (l.keyword.startsWith('exclusive') ? (side === 'lower' ? 'EXCLUSIVE_MINIMUM' : 'EXCLUSIVE_MAXIMUM') : side === 'lower' ? 'MINIMUM' : 'MAXIMUM');
  if (!a) return bound(ctx, prefix(b!), b!.keyword, undefined, b!.written, path);
  if (!b) return bound(ctx, prefix(a), a.keyword, a.written, undefined, path);
  if (a.value === b.value && a.exclusive === b.exclusive) return;
  if (a.exclusive === b.exclusive && a.keyword === b.keyword) {
    // The keyword's own INCREASED / DECREASED; over integers the effective values decide the direction.
    const p = child(path, a.keyword);
    const rule = prefix(a) + (b.value > a.value ? '_INCREASED' : '_DECREASED');
    ctx.add(rule, p, a.written, b.written);
    return;
  }
  const relaxed = tighter(a, b, side);
  const name = side === 'lower' ? 'LOWER_BOUND' : 'UPPER_BOUND';
  ctx.add(`${name}_${relaxed ? 'RELAXED' : 'TIGHTENED'}`, child(path, side === 'lower' ? 'exclusiveMinimum' : 'exclusiveMaximum'), show(a, side), show(b, side));
}

/** a is a whole multiple of b, tolerant of binary fractions (0.1 * 3). */
function isMultiple(a: number, b: number): boolean {
  if (b === 0) return false;
  const q = a / b;
  return Math.abs(q - Math.round(q)) < 1e-9 * Math.max(1, Math.abs(q));
}

export function compareNumber(ctx: Ctx, o: Node, u: Node, path: string): void {
  if (anyOf(obj(o), obj(u), NUMBER_KEYS)) compareNumberKeywords(ctx, o, u, path);
  if (o.integer && !u.integer) ctx.add('TYPE_EXTENDED', path, 'integer', 'number');
  else if (!o.integer && u.integer) ctx.add('TYPE_NARROWED', path, 'number', 'integer');
}

function compareNumberKeywords(ctx: Ctx, o: Node, u: Node, path: string): void {
  compareLimit(ctx, o, u, 'upper', path);
  compareLimit(ctx, o, u, 'lower', path);
  const ma = num(obj(o).multipleOf);
  const mb = num(obj(u).multipleOf);
  if (ma !== mb) {
    const p = child(path, 'multipleOf');
    if (ma === undefined) ctx.add('MULTIPLE_OF_ADDED', p, undefined, mb);
    else if (mb === undefined) ctx.add('MULTIPLE_OF_REMOVED', p, ma, undefined);
    else if (isMultiple(mb, ma)) ctx.add('MULTIPLE_OF_EXPANDED', p, ma, mb);
    else if (isMultiple(ma, mb)) ctx.add('MULTIPLE_OF_REDUCED', p, ma, mb);
    else ctx.add('MULTIPLE_OF_CHANGED', p, ma, mb);
  }
}

/**
 * Two value lists (enum or const) compared as sets: `{"const":"a"}` is
 * `{"enum":["a"]}`, duplicates count once, and an empty enum accepts
 * nothing. Between enum and enum the change is at /enum, between const and
 * const at /const; between the two keywords at the schema itself.
 */
function compareValueLists(ctx: Ctx, o: Node, u: Node, path: string): void {
  const a = listedValues(o)!;
  const b = listedValues(u)!;
  const ka = new Set(a.map((v) => canonical(v)));
  const kb = new Set(b.map((v) => canonical(v)));
  let lost = false;
  let gained = false;
  for (const k of ka) if (!kb.has(k)) lost = true;
  for (const k of kb) if (!ka.has(k)) gained = true;
  const p = o.kind !== u.kind ? path : child(path, o.kind);
  const shown = (n: Node, list: unknown[]): unknown => (n.kind === 'const' ? list[0] : list);
  if (!lost && gained) ctx.add('ENUM_ARRAY_EXTENDED', p, shown(o, a), shown(u, b));
  else if (lost && !gained) ctx.add('ENUM_ARRAY_NARROWED', p, shown(o, a), shown(u, b));
  else if (lost && gained) ctx.add('ENUM_ARRAY_CHANGED', p, shown(o, a), shown(u, b));
}

export function compareEnum(ctx: Ctx, o: Node, u: Node, path: string): void {
  compareValueLists(ctx, o, u, path);
}

export function compareConst(ctx: Ctx, o: Node, u: Node, path: string): void {
  compareValueLists(ctx, o, u, path);
}

/**
 * Old side an enum or const, new side of another kind: compared by value.
 * The old schema accepts only its listed values, so when the new one
 * accepts each of them (const "a" -> type string, enum -> enum beside a
 * type, const -> enum), nothing old is rejected. Returns false, leaving
 * the pair to the structural walk, when some value is rejected or cannot
 * be checked here.
 */
export function compareByValue(ctx: Ctx, o: Node, u: Node, path: string): boolean {
  const values = listedValues(o);
  if (!values) return false;
  if (u.kind === 'enum' || u.kind === 'const') {
    compareValueLists(ctx, o, u, path);
    return true;
  }
  for (const v of values) if (accepts(u, v) !== true) return false;
  ctx.add('ENUM_WIDENED_TO_SCHEMA', path, o.kind === 'const' ? values[0] : values, undefined);
  return true;
}

const INFERABLE = new Set(['string', 'number', 'object', 'array']);
const RESTRICTING = ['$ref', 'enum', 'const', 'allOf', 'anyOf', 'oneOf', 'not', 'if'];

/**
 * Tessera profile. A kind inferred from keywords ({"minimum": 1}) only
 * constrains values of that kind and accepts every other value; declaring
 * the type ({"type": "number", "minimum": 1}) rejects those. So declaring
 * it is breaking backward, and dropping it (keeping the keywords) is
 * compatible. The confluent profile compares the two as the same kind.
 */
export function compareDeclaredType(ctx: Ctx, o: Node, u: Node, path: string): void {
  if (!INFERABLE.has(o.kind) || o.kind !== u.kind) return;
  const typedA = typeof o.raw === 'object' && 'type' in o.raw;
  const typedB = typeof u.raw === 'object' && 'type' in u.raw;
  if (typedA === typedB) return;
  // Another facet of the untyped object ($ref, enum, a combinator...) may restrict the kind already: not judged here.
  const untyped = (typedA ? u.raw : o.raw) as RawObject;
  for (const k of RESTRICTING) if (k in untyped) return;
  const p = child(path, 'type');
  if (typedB) ctx.add('TYPE_DECLARED', p, undefined, (u.raw as RawObject).type);
  else ctx.add('TYPE_UNDECLARED', p, (o.raw as RawObject).type, undefined);
}

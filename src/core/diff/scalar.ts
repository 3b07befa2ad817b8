/**
 * Keyword-level comparisons for strings, numbers, enum and const. Each
 * bound is judged by the direction it moved: a lower bound that goes up, or
 * an upper bound that goes down, rejects values the old schema accepted.
 */
import type { Ctx } from './context.js';
import { canonical, child, num, type RawObject } from './json.js';
import type { Node } from './normalize.js';

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
  if (pa === undefined && pb !== undefined) ctx.add('PATTERN_ADDED', pp, undefined, pb);
  else if (pa !== undefined && pb === undefined) ctx.add('PATTERN_REMOVED', pp, pa, undefined);
  else if (pa !== pb) ctx.add('PATTERN_CHANGED', pp, pa, pb);
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

interface Limits {
  maximum?: number;
  minimum?: number;
  exclusiveMaximum?: number;
  exclusiveMinimum?: number;
}

/** Draft-04 wrote exclusive bounds as booleans beside maximum/minimum; read both forms as numbers. */
function limits(raw: RawObject): Limits {
  const l: Limits = {};
  const max = num(raw.maximum);
  const min = num(raw.minimum);
  if (raw.exclusiveMaximum === true && max !== undefined) l.exclusiveMaximum = max;
  else {
    l.maximum = max;
    l.exclusiveMaximum = num(raw.exclusiveMaximum);
  }
  if (raw.exclusiveMinimum === true && min !== undefined) l.exclusiveMinimum = min;
  else {
    l.minimum = min;
    l.exclusiveMinimum = num(raw.exclusiveMinimum);
  }
  return l;
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
  const a = limits(obj(o));
  const b = limits(obj(u));
  bound(ctx, 'MAXIMUM', 'maximum', a.maximum, b.maximum, path);
  bound(ctx, 'MINIMUM', 'minimum', a.minimum, b.minimum, path);
  bound(ctx, 'EXCLUSIVE_MAXIMUM', 'exclusiveMaximum', a.exclusiveMaximum, b.exclusiveMaximum, path);
  bound(ctx, 'EXCLUSIVE_MINIMUM', 'exclusiveMinimum', a.exclusiveMinimum, b.exclusiveMinimum, path);
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

export function compareEnum(ctx: Ctx, o: Node, u: Node, path: string): void {
  const a = (obj(o).enum as unknown[]) ?? [];
  const b = (obj(u).enum as unknown[]) ?? [];
  const ka = new Set(a.map((v) => canonical(v)));
  const kb = new Set(b.map((v) => canonical(v)));
  let lost = false;
  let gained = false;
  for (const k of ka) if (!kb.has(k)) lost = true;
  for (const k of kb) if (!ka.has(k)) gained = true;
  const p = child(path, 'enum');
  if (!lost && gained) ctx.add('ENUM_ARRAY_EXTENDED', p, a, b);
  else if (lost && !gained) ctx.add('ENUM_ARRAY_NARROWED', p, a, b);
  else if (lost && gained) ctx.add('ENUM_ARRAY_CHANGED', p, a, b);
}

export function compareConst(ctx: Ctx, o: Node, u: Node, path: string): void {
  const a = obj(o).const;
  const b = obj(u).const;
  if (canonical(a) !== canonical(b)) ctx.add('ENUM_ARRAY_CHANGED', child(path, 'const'), a, b);
}

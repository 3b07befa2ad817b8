/**
 * Arrays: one schema for every item, or a tuple (items:[...] / prefixItems)
 * followed by a tail governed by additionalItems (draft-07), items
 * (2020-12) or unevaluatedItems. A tuple position that appears or goes away
 * is judged against the tail of the side that lacks it, as for properties.
 */
import type { Ctx } from './context.js';
import { child, isObject, num, type RawObject } from './json.js';
import { deref, nodeOf, type Node } from './normalize.js';
import { compareRaw } from './compare.js';
import { bound } from './scalar.js';

interface ArrayInfo {
  all: unknown;
  tuple: unknown[];
  tupleKeyword: string;
  /** The keyword that governs items past the tuple, if declared. */
  tailKeyword: string | undefined;
  tail: unknown;
}

function info(n: Node): ArrayInfo {
  const raw: RawObject = typeof n.raw === 'object' ? n.raw : {};
  const modern = n.doc.draft >= 2020 || Array.isArray(raw.prefixItems);
  let all: unknown;
  let tuple: unknown[] = [];
  let tupleKeyword = 'items';
  let tailKeyword: string | undefined;
  if (Array.isArray(raw.prefixItems)) {
    tuple = raw.prefixItems;
    tupleKeyword = 'prefixItems';
    if ('items' in raw) tailKeyword = 'items';
  } else if (Array.isArray(raw.items)) {
    tuple = raw.items;
    if ('additionalItems' in raw) tailKeyword = 'additionalItems';
  } else if (typeof raw.items === 'boolean' && modern) {
    // 2020-12 "items": false means "no item at all": the tail of an empty tuple.
    tailKeyword = 'items';
  } else {
    all = raw.items;
    if ('additionalItems' in raw) tailKeyword = 'additionalItems';
  }
  if (!tailKeyword && 'unevaluatedItems' in raw) tailKeyword = 'unevaluatedItems';
  return { all, tuple, tupleKeyword, tailKeyword, tail: tailKeyword ? raw[tailKeyword] : undefined };
}

/**
 * The tessera reading, by what the keywords accept: every array schema is a
 * tuple (possibly empty) and a tail. `items: {type: string}` is an empty
 * tuple whose tail is strings, so it compares with `items: [string,
 * string]` + `additionalItems: string` position by position; `items: {}`
 * says nothing; `items: false` is a closed empty tuple in every draft;
 * `additionalItems` beside no tuple is ignored, as the specification says.
 */
function semanticInfo(n: Node): ArrayInfo {
  const raw: RawObject = typeof n.raw === 'object' ? n.raw : {};
  const modern = n.doc.draft >= 2020 || Array.isArray(raw.prefixItems);
  let tuple: unknown[] = [];
  let tupleKeyword = 'items';
  let tailKeyword: string | undefined;
  if (modern) {
    if (Array.isArray(raw.prefixItems)) {
      tuple = raw.prefixItems;
      tupleKeyword = 'prefixItems';
    }
    if ('items' in raw && !Array.isArray(raw.items)) tailKeyword = 'items';
  } else if (Array.isArray(raw.items)) {
    tuple = raw.items;
    if ('additionalItems' in raw) tailKeyword = 'additionalItems';
  } else if ('items' in raw) tailKeyword = 'items';
  if (!tailKeyword && 'unevaluatedItems' in raw) tailKeyword = 'unevaluatedItems';
  let tail = tailKeyword ? raw[tailKeyword] : undefined;
  // A tail that accepts anything is no tail: items: {} is items absent.
  if (tail !== undefined && deref(nodeOf(n.doc, tail)).kind === 'empty') tail = undefined;
  else if (tail !== undefined && deref(nodeOf(n.doc, tail)).kind === 'false') tail = false;
  return { all: undefined, tuple, tupleKeyword, tailKeyword, tail };
}

const permits = (i: ArrayInfo): boolean => i.tail !== false;
const tailSchema = (i: ArrayInfo): RawObject | undefined => (isObject(i.tail) ? i.tail : undefined);
const isOpen = (i: ArrayInfo): boolean => tailSchema(i) === undefined && permits(i);

export function compareArray(ctx: Ctx, o: Node, u: Node, path: string): void {
  const a = ctx.tessera ? semanticInfo(o) : info(o);
  const b = ctx.tessera ? semanticInfo(u) : info(u);
  if (ctx.tessera && a.tuple.length === 0 && b.tuple.length === 0 && a.tail !== false && b.tail !== false) {
    // Two plain lists: their item schemas compare as such (SCHEMA_ADDED when items appears), as before.
    a.all = a.tail;
    b.all = b.tail;
    a.tail = b.tail = undefined;
  }
  compareRaw(ctx, o, a.all, u, b.all, child(path, 'items'));
  compareTuple(ctx, o, u, a, b, path);
  compareTail(ctx, o, u, a, b, path);
  const ra = o.raw as RawObject;
  const rb = u.raw as RawObject;
  if (!ctx.tessera || maxItemsOf(a, ra) !== maxItemsOf(b, rb)) bound(ctx, 'MAX_ITEMS', 'maxItems', num(ra.maxItems), num(rb.maxItems), path);
  bound(ctx, 'MIN_ITEMS', 'minItems', num(ra.minItems), num(rb.minItems), path);
  if ((ra.uniqueItems === true) !== (rb.uniqueItems === true)) {
    ctx.add(ra.uniqueItems === true ? 'UNIQUE_ITEMS_REMOVED' : 'UNIQUE_ITEMS_ADDED', child(path, 'uniqueItems'), ra.uniqueItems, rb.uniqueItems);
  }
  compareContains(ctx, o, u, ra, rb, path);
}

function compareTuple(ctx: Ctx, o: Node, u: Node, a: ArrayInfo, b: ArrayInfo, path: string): void {
  const common = Math.min(a.tuple.length, b.tuple.length);
  for (let i = 0; i < common; i++) compareRaw(ctx, o, a.tuple[i], u, b.tuple[i], child(path, a.tupleKeyword, i));
  for (let i = common; i < a.tuple.length; i++) {
    const p = child(path, a.tupleKeyword, i);
    const item = a.tuple[i];
    if (isOpen(b)) ctx.add('ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL', p, item, undefined);
    else if (tailSchema(b)) {
      const sub = ctx.sub();
      compareRaw(sub, o, item, u, tailSchema(b), p);
      ctx.addAll(sub);
      ctx.add(sub.compatible() ? 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', p, item, undefined);
    } else if (deref(nodeOf(o.doc, item)).kind === 'false') ctx.add('ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL', p, item, undefined);
    else ctx.add('ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL', p, item, undefined);
  }
  for (let i = common; i < b.tuple.length; i++) {
    const p = child(path, b.tupleKeyword, i);
    const item = b.tuple[i];
    if (isOpen(a)) {
      ctx.add(deref(nodeOf(u.doc, item)).kind === 'empty' ? 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL', p, undefined, item);
    } else if (tailSchema(a)) {
      const sub = ctx.sub();
      compareRaw(sub, o, tailSchema(a), u, item, p);
      ctx.addAll(sub);
      ctx.add(sub.compatible() ? 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', p, undefined, item);
    } else ctx.add('ITEM_ADDED_TO_CLOSED_CONTENT_MODEL', p, undefined, item);
  }
}

function compareTail(ctx: Ctx, o: Node, u: Node, a: ArrayInfo, b: ArrayInfo, path: string): void {
  if (ctx.tessera && maxItemsOf(a, o.raw as RawObject) <= b.tuple.length) {
    // No old array reaches the new tail (maxItems 0 -> items false): a narrower tail rejects nothing old.
    const sub = ctx.sub();
    compareTailSchemas(sub, o, u, a, b, path);
    if (sub.compatible()) ctx.addAll(sub);
    return;
  }
  compareTailSchemas(ctx, o, u, a, b, path);
}

function compareTailSchemas(ctx: Ctx, o: Node, u: Node, a: ArrayInfo, b: ArrayInfo, path: string): void {
  const p = child(path, a.tailKeyword ?? b.tailKeyword ?? 'additionalItems');
  const sa = tailSchema(a);
  const sb = tailSchema(b);
  if (permits(a) !== permits(b)) ctx.add(permits(a) ? 'ADDITIONAL_ITEMS_REMOVED' : 'ADDITIONAL_ITEMS_ADDED', p, a.tail, b.tail);
  else if (!sa && sb) ctx.add('ADDITIONAL_ITEMS_NARROWED', p, a.tail, b.tail);
  else if (sa && !sb) ctx.add('ADDITIONAL_ITEMS_EXTENDED', p, a.tail, b.tail);
  else if (sa && sb) compareRaw(ctx, o, sa, u, sb, p);
}

/** The most items an array may hold: a closed tail caps it at the tuple's length, whatever maxItems says. */
function maxItemsOf(i: ArrayInfo, raw: RawObject): number {
  const written = num(raw.maxItems) ?? Infinity;
  return i.tail === false ? Math.min(written, i.tuple.length) : written;
}

function containsLimits(raw: RawObject): { min: number | undefined; max: number | undefined } {
  return { min: num(raw.minContains), max: num(raw.maxContains) };
}

/**
 * minContains defaults to 1 whenever contains is present, so 1 -> absent is
 * no change; in 2019-09 and later, contains with minContains 0 and no
 * maxContains constrains nothing, and the tessera profile reads it as absent.
 * (minContains / maxContains are read in earlier drafts too, as Confluent does.)
 */
function compareContains(ctx: Ctx, o: Node, u: Node, ra: RawObject, rb: RawObject, path: string): void {
  const la = containsLimits(ra);
  const lb = containsLimits(rb);
  // Before 2019-09 minContains is no keyword: contains then always asks for one match.
  const vacuous = (n: Node, l: { min: number | undefined; max: number | undefined }): boolean => ctx.tessera && n.doc.draft >= 2019 && l.min === 0 && l.max === undefined;
  const ca = 'contains' in ra && !vacuous(o, la);
  const cb = 'contains' in rb && !vacuous(u, lb);
  if (ca && cb) {
    if (ctx.tessera) compareRaw(ctx, o, ra.contains, u, rb.contains, child(path, 'contains'));
    const mina = la.min ?? 1;
    const minb = lb.min ?? 1;
    if (mina < minb) ctx.add('MIN_CONTAINS_INCREASED', child(path, 'minContains'), ra.minContains, rb.minContains);
    else if (mina > minb) ctx.add('MIN_CONTAINS_DECREASED', child(path, 'minContains'), ra.minContains, rb.minContains);
    bound(ctx, 'MAX_CONTAINS', 'maxContains', la.max, lb.max, path);
  } else if (ctx.tessera && ca !== cb) {
    ctx.add(ca ? 'CONTAINS_REMOVED' : 'CONTAINS_ADDED', child(path, 'contains'), ra.contains, rb.contains);
  }
}

/**
 * Objects. The content model decides what a property that is not listed
 * means: open (anything goes), closed (nothing goes) or partially open
 * (patternProperties / additionalProperties schemas say what goes). Adding
 * or removing a property is judged against the content model of the side
 * that did NOT list it, because that side is the one that had (or will
 * have) to accept it as an unlisted property.
 */
import type { Ctx } from './context.js';
import { child, isObject, num, sameLeaf, type Raw, type RawObject } from './json.js';
import { deref, nodeOf, type Node } from './normalize.js';
import { compareRaw } from './compare.js';
import { bound } from './scalar.js';
import { evaluatesThroughAllOf, foldable, foldedObject, withEvaluatedNames } from './evaluated.js';

interface Pattern {
  source: string;
  re: RegExp | null;
  schema: unknown;
}

interface Dep {
  keyword: string;
  value: unknown;
}

interface ObjectInfo {
  props: RawObject;
  /** Object.keys(props), listed once: a wide table's properties object is in dictionary mode, where listing sorts. */
  names: string[];
  /**
   * The partner whose properties this one's were compared with, and the
   * names whose two schemas were found equal by sameLeaf (symmetric): the
   * other direction skips those without looking at them again.
   */
  sameAs: ObjectInfo | undefined;
  sameNames: Set<string> | undefined;
  required: Set<string>;
  /** The keyword that governs unlisted properties, if the schema declares one. */
  apKeyword: 'additionalProperties' | 'unevaluatedProperties' | undefined;
  ap: unknown;
  patterns: Pattern[];
  deps: Map<string, Dep>;
}

const regexCache = new Map<string, RegExp | null>();

function regex(source: string): RegExp | null {
  let re = regexCache.get(source);
  if (re !== undefined) return re;
  try {
    re = new RegExp(source, 'u');
  } catch {
    try {
      re = new RegExp(source);
    } catch {
      re = null;
    }
  }
  regexCache.set(source, re);
  return re;
}

/** Depends on the raw object only, so it is kept per raw object for the whole judgement (both directions). */
function info(ctx: Ctx, n: Node): ObjectInfo {
  const memo = ctx.env.memo;
  const key = typeof n.raw === 'object' ? n.raw : undefined;
  let i = key ? (memo.get(key) as ObjectInfo | undefined) : undefined;
  if (i) return i;
  const raw: RawObject = key ?? {};
  const folded = n.doc.foldEvaluated && foldable(raw) ? foldedObject(raw) : undefined;
  let props: RawObject = folded ? folded.properties : isObject(raw.properties) ? raw.properties : {};
  if (!folded && n.doc.foldEvaluated && evaluatesThroughAllOf(raw)) props = withEvaluatedNames(raw, props);
  const required = new Set<string>(folded ? folded.required : Array.isArray(raw.required) ? raw.required.filter((r): r is string => typeof r === 'string') : []);
  const apKeyword = 'additionalProperties' in raw ? 'additionalProperties' : 'unevaluatedProperties' in raw ? 'unevaluatedProperties' : undefined;
  const patterns: Pattern[] = [];
  if (isObject(raw.patternProperties)) {
    for (const [source, schema] of Object.entries(raw.patternProperties)) patterns.push({ source, re: regex(source), schema });
  }
  const deps = new Map<string, Dep>();
  const addDeps = (keyword: string, v: unknown): void => {
    if (isObject(v)) for (const [k, d] of Object.entries(v)) deps.set(k, { keyword, value: d });
  };
  addDeps('dependencies', raw.dependencies);
  addDeps('dependentRequired', raw.dependentRequired);
  addDeps('dependentSchemas', raw.dependentSchemas);
  i = { props, names: Object.keys(props), sameAs: undefined, sameNames: undefined, required, apKeyword, ap: apKeyword ? raw[apKeyword] : undefined, patterns, deps };
  if (key) memo.set(key, i);
  return i;
}

/** Whether unlisted properties are allowed at all (opts.contentModel fills in when the schema is silent). */
function permits(ctx: Ctx, i: ObjectInfo): boolean {
  if (i.apKeyword) return i.ap !== false;
  if (i.patterns.length > 0) return true;
  return ctx.env.opts.contentModel === 'open';
}

function apSchema(i: ObjectInfo): RawObject | undefined {
  return isObject(i.ap) ? i.ap : undefined;
}

function isOpen(ctx: Ctx, i: ObjectInfo): boolean {
  return i.patterns.length === 0 && apSchema(i) === undefined && permits(ctx, i);
}

/**
 * Whether a name no pattern matches may hold any value: additionalProperties
 * absent (under the open default) or true. Patterns do not close an object.
 */
function fallbackAcceptsAll(ctx: Ctx, i: ObjectInfo): boolean {
  if (apSchema(i) !== undefined) return false;
  return i.apKeyword ? i.ap !== false : ctx.env.opts.contentModel === 'open';
}

/**
 * Tessera: open for this name. Besides a fully open object, an object whose
 * patterns do not match the name and whose fallback accepts anything treats
 * it as an open one would (Confluent reads any patternProperties as "not open").
 */
function openFor(ctx: Ctx, i: ObjectInfo, name: string): boolean {
  if (isOpen(ctx, i)) return true;
  if (!ctx.tessera || !fallbackAcceptsAll(ctx, i)) return false;
  for (const p of i.patterns) if (!p.re || p.re.test(name)) return false;
  return true;
}

/** The schema an unlisted property of this name would be validated by, in a partially open model. */
function coveringSchema(i: ObjectInfo, name: string): unknown {
  for (const p of i.patterns) if (p.re && p.re.test(name)) return p.schema;
  return apSchema(i);
}

function hasDefault(doc: Node, raw: unknown): boolean {
  if (isObject(raw) && 'default' in raw) return true;
  const target = deref(nodeOf(doc.doc, raw)).raw;
  return isObject(target) && 'default' in target;
}

export function compareObject(ctx: Ctx, o: Node, u: Node, path: string): void {
  const a = info(ctx, o);
  const b = info(ctx, u);
  compareProperties(ctx, o, u, a, b, path);
  compareDependencies(ctx, o, u, a, b, path);
  compareAdditional(ctx, o, u, a, b, path);
  if (ctx.tessera) {
    comparePatterns(ctx, o, u, a, b, path);
    comparePropertyNames(ctx, o, u, path);
  }
  const ra = o.raw as RawObject;
  const rb = u.raw as RawObject;
  bound(ctx, 'MAX_PROPERTIES', 'maxProperties', num(ra.maxProperties), num(rb.maxProperties), path);
  bound(ctx, 'MIN_PROPERTIES', 'minProperties', num(ra.minProperties), num(rb.minProperties), path);
}

/** Only for properties listed on both sides: an addition or removal is judged with the property itself. */
function compareRequired(ctx: Ctx, u: Node, a: ObjectInfo, b: ObjectInfo, name: string, path: string): void {
  const was = a.required.has(name);
  const is = b.required.has(name);
  if (was === is) return;
  const p = child(path, 'required', name);
  if (was) ctx.add('REQUIRED_ATTRIBUTE_REMOVED', p, true, false);
  else if (hasDefault(u, b.props[name])) ctx.add('REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED', p, false, true);
  else ctx.add('REQUIRED_ATTRIBUTE_ADDED', p, false, true);
}

function compareProperties(ctx: Ctx, o: Node, u: Node, a: ObjectInfo, b: ObjectInfo, path: string): void {
  const base = child(path, 'properties');
  const sameDraft = o.doc.draft === u.doc.draft;
  // Equal pairs already found for this pair of objects (the other direction), or a set to record them in.
  const known = a.sameAs === b ? a.sameNames : b.sameAs === a ? b.sameNames : undefined;
  const record = known === undefined && a.sameAs === undefined ? new Set<string>() : undefined;
  for (const name of a.names) {
    if (Object.hasOwn(b.props, name)) {
      if (a.required.has(name) !== b.required.has(name)) compareRequired(ctx, u, a, b, name, path);
      // Most columns of a wide table are unchanged: skip them before building their path.
      if (known !== undefined && known.has(name)) continue;
      const oldRaw = a.props[name];
      const newRaw = b.props[name];
      if (sameLeaf(oldRaw, newRaw, sameDraft)) record?.add(name);
      else compareRaw(ctx, o, oldRaw, u, newRaw, child(base, name));
      continue;
    }
    const oldRaw = a.props[name];
    const p = child(base, name);
    if (openFor(ctx, b, name)) {
      ctx.add('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', p, oldRaw, undefined);
      continue;
    }
    const cover = coveringSchema(b, name);
    if (cover !== undefined) {
      const sub = ctx.sub();
      compareRaw(sub, o, oldRaw, u, cover, p);
      ctx.addAll(sub);
      ctx.add(sub.compatible() ? 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', p, oldRaw, undefined);
    } else if (deref(nodeOf(o.doc, oldRaw)).kind === 'false') {
      ctx.add('PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL', p, oldRaw, undefined);
    } else {
      ctx.add('PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', p, oldRaw, undefined);
    }
  }
  if (record) {
    a.sameAs = b;
    a.sameNames = record;
  }
  if (ctx.tessera) compareUndeclaredRequired(ctx, a, b, path);
  for (const name of b.names) {
    if (Object.hasOwn(a.props, name)) continue;
    const newRaw = b.props[name];
    const p = child(base, name);
    const required = b.required.has(name);
    const withDefault = required && hasDefault(u, newRaw);
    if (openFor(ctx, a, name)) {
      // Old records may already carry this name with any value.
      if (required && !withDefault) ctx.add('REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', p, undefined, newRaw);
      else if (deref(nodeOf(u.doc, newRaw)).kind === 'empty') ctx.add('PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', p, undefined, newRaw);
      else if (required) ctx.add('REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL', p, undefined, newRaw);
      else ctx.add('OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', p, undefined, newRaw);
      continue;
    }
    const cover = coveringSchema(a, name);
    if (cover !== undefined) {
      const sub = ctx.sub();
      compareRaw(sub, o, cover, u, newRaw, p);
      ctx.addAll(sub);
      ctx.add(sub.compatible() ? 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', p, undefined, newRaw);
    }
    if (!required) ctx.add('OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', p, undefined, newRaw);
    else if (withDefault) ctx.add('REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL', p, undefined, newRaw);
    else ctx.add('REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', p, undefined, newRaw);
  }
}

/**
 * Tessera: `required` entries whose name is not listed in `properties` on
 * both sides. The name may be declared in an allOf or $ref branch, matched by
 * a map's additionalProperties, or nowhere: `required` still rejects an object
 * without it. Confluent compares only names listed on both sides (its label:
 * ["foo"] -> ["bar"], bar undeclared, is compatible), so the confluent profile
 * keeps that. A name listed in properties on exactly one side is judged with
 * that property's addition or removal instead.
 */
function compareUndeclaredRequired(ctx: Ctx, a: ObjectInfo, b: ObjectInfo, path: string): void {
  for (const name of b.required) {
    if (a.required.has(name) || Object.hasOwn(b.props, name)) continue;
    ctx.add('REQUIRED_ATTRIBUTE_ADDED', child(path, 'required', name), false, true);
  }
  for (const name of a.required) {
    if (b.required.has(name) || Object.hasOwn(a.props, name)) continue;
    ctx.add('REQUIRED_ATTRIBUTE_REMOVED', child(path, 'required', name), true, false);
  }
}

function depNames(v: unknown): Set<string> | undefined {
  return Array.isArray(v) ? new Set(v.filter((x): x is string => typeof x === 'string')) : undefined;
}

function compareDependencies(ctx: Ctx, o: Node, u: Node, a: ObjectInfo, b: ObjectInfo, path: string): void {
  if (a.deps.size === 0 && b.deps.size === 0) return;
  for (const [name, da] of a.deps) {
    const db = b.deps.get(name);
    const la = depNames(da.value);
    const p = child(path, da.keyword, name);
    if (la) {
      const lb = db ? depNames(db.value) : undefined;
      if (!lb) ctx.add('DEPENDENCY_ARRAY_REMOVED', p, da.value, undefined);
      else {
        const extra = [...lb].some((x) => !la.has(x));
        const missing = [...la].some((x) => !lb.has(x));
        if (extra && missing) ctx.add('DEPENDENCY_ARRAY_CHANGED', p, da.value, db!.value);
        else if (extra) ctx.add('DEPENDENCY_ARRAY_EXTENDED', p, da.value, db!.value);
        else if (missing) ctx.add('DEPENDENCY_ARRAY_NARROWED', p, da.value, db!.value);
      }
      if (db && !depNames(db.value)) ctx.add('DEPENDENCY_SCHEMA_ADDED', child(path, db.keyword, name), undefined, db.value);
    } else {
      if (!db || depNames(db.value)) {
        ctx.add('DEPENDENCY_SCHEMA_REMOVED', p, da.value, undefined);
        if (db) ctx.add('DEPENDENCY_ARRAY_ADDED', child(path, db.keyword, name), undefined, db.value);
      } else compareRaw(ctx, o, da.value, u, db.value, p);
    }
  }
  for (const [name, db] of b.deps) {
    if (a.deps.has(name)) continue;
    const p = child(path, db.keyword, name);
    ctx.add(depNames(db.value) ? 'DEPENDENCY_ARRAY_ADDED' : 'DEPENDENCY_SCHEMA_ADDED', p, undefined, db.value);
  }
}

function compareAdditional(ctx: Ctx, o: Node, u: Node, a: ObjectInfo, b: ObjectInfo, path: string): void {
  const p = child(path, a.apKeyword ?? b.apKeyword ?? 'additionalProperties');
  const pa = permits(ctx, a);
  const pb = permits(ctx, b);
  const sa = apSchema(a);
  const sb = apSchema(b);
  if (pa !== pb) ctx.add(pb ? 'ADDITIONAL_PROPERTIES_ADDED' : 'ADDITIONAL_PROPERTIES_REMOVED', p, a.ap, b.ap);
  else if (!sa && sb) ctx.add('ADDITIONAL_PROPERTIES_NARROWED', p, a.ap, b.ap);
  else if (sa && !sb) ctx.add('ADDITIONAL_PROPERTIES_EXTENDED', p, a.ap, b.ap);
  else if (sa && sb) compareRaw(ctx, o, sa, u, sb, p);
}

/**
 * Tessera only: Confluent reads patternProperties solely to decide whether
 * an added or removed property is covered. A pattern that appears or goes
 * away changes what unlisted names may hold, so we judge it too.
 */
function comparePatterns(ctx: Ctx, o: Node, u: Node, a: ObjectInfo, b: ObjectInfo, path: string): void {
  if (a.patterns.length === 0 && b.patterns.length === 0) return;
  const bySource = new Map(b.patterns.map((p) => [p.source, p] as const));
  const base = child(path, 'patternProperties');
  for (const pa of a.patterns) {
    const pb = bySource.get(pa.source);
    const p = child(base, pa.source);
    if (pb) compareRaw(ctx, o, pa.schema, u, pb.schema, p);
    // Names it matched keep whatever other patterns say and otherwise fall back to additionalProperties.
    else ctx.add(isOpen(ctx, b) || fallbackAcceptsAll(ctx, b) ? 'PATTERN_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL' : 'PATTERN_PROPERTY_REMOVED', p, pa.schema, undefined);
  }
  const oldSources = new Set(a.patterns.map((p) => p.source));
  for (const pb of b.patterns) {
    if (oldSources.has(pb.source)) continue;
    const p = child(base, pb.source);
    // A pattern also applies to listed properties that match it: old records may carry those. (A name
    // that is no longer listed is judged against the pattern as a covered removal instead.)
    const matchesListed = a.names.some((name) => Object.hasOwn(b.props, name) && (!pb.re || pb.re.test(name)));
    const closedBefore = !permits(ctx, a) && apSchema(a) === undefined && a.patterns.length === 0 && !matchesListed;
    ctx.add(closedBefore ? 'PATTERN_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL' : 'PATTERN_PROPERTY_ADDED', p, undefined, pb.schema);
  }
}

function comparePropertyNames(ctx: Ctx, o: Node, u: Node, path: string): void {
  const a = (o.raw as RawObject).propertyNames as Raw | undefined;
  const b = (u.raw as RawObject).propertyNames as Raw | undefined;
  if (a === undefined && b === undefined) return;
  const p = child(path, 'propertyNames');
  if (a === undefined) ctx.add('PROPERTY_NAMES_ADDED', p, undefined, b);
  else if (b === undefined) ctx.add('PROPERTY_NAMES_REMOVED', p, a, undefined);
  else compareRaw(ctx, o, a, u, b, p);
}

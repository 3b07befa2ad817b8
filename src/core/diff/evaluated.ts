/**
 * Tessera: `unevaluatedProperties` sees the properties its allOf branches
 * evaluate, so `{properties: {a}, unevaluatedProperties: false}` and
 * `{allOf: [{properties: {a}}], unevaluatedProperties: false}` accept the same
 * objects. The walk reads `properties` per schema object, so before comparing
 * we fold such allOf branches into their parent: then moving properties into
 * a branch is no change, and a branch that declares a new property reads as
 * the optional property it is (compatible backward, breaking forward) instead
 * of an intersection that gained a member.
 *
 * Folded only when it provably keeps the meaning: the parent has
 * unevaluatedProperties and no additionalProperties (which would not see the
 * branches), and every branch says nothing but properties / required / type
 * object / annotations, with no name declared twice with different schemas.
 * Returns the input itself when nothing qualifies (the common case: no copy).
 */
import { deepEqual, isObject, type RawObject } from './json.js';

const FOLDABLE_KEYS = new Set(['properties', 'required', 'type', 'title', 'description', '$comment']);

function foldable(raw: RawObject): boolean {
  if (!('unevaluatedProperties' in raw) || 'additionalProperties' in raw) return false;
  const branches = raw.allOf;
  if (!Array.isArray(branches) || branches.length === 0) return false;
  const props: RawObject = isObject(raw.properties) ? { ...raw.properties } : {};
  for (const b of branches) {
    if (!isObject(b)) return false;
    for (const k of Object.keys(b)) if (!FOLDABLE_KEYS.has(k)) return false;
    if (b.type !== undefined && b.type !== 'object') return false;
    if (b.properties !== undefined && !isObject(b.properties)) return false;
    if (b.required !== undefined && !Array.isArray(b.required)) return false;
    for (const [k, v] of Object.entries(isObject(b.properties) ? b.properties : {})) {
      if (Object.hasOwn(props, k) && !deepEqual(props[k], v)) return false;
      props[k] = v;
    }
  }
  return true;
}

function anyFoldable(root: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    const o = v as RawObject;
    if ('unevaluatedProperties' in o && foldable(o)) return true;
    for (const k in o) {
      const x = o[k];
      if (typeof x === 'object' && x !== null) stack.push(x);
    }
  }
  return false;
}

function fold(raw: RawObject): RawObject {
  const out: RawObject = {};
  const props: RawObject = isObject(raw.properties) ? { ...raw.properties } : {};
  const required: unknown[] = Array.isArray(raw.required) ? [...raw.required] : [];
  for (const b of raw.allOf as RawObject[]) {
    if (isObject(b.properties)) Object.assign(props, b.properties);
    if (Array.isArray(b.required)) for (const r of b.required) if (!required.includes(r)) required.push(r);
  }
  for (const k of Object.keys(raw)) {
    if (k === 'allOf') continue;
    out[k] = raw[k];
  }
  if (Object.keys(props).length > 0) out.properties = props;
  if (required.length > 0) out.required = required;
  return out;
}

/** The schema with foldable allOf branches merged into their unevaluatedProperties parent. Pure; shares what it does not change. */
export function foldEvaluated<T>(root: T): T {
  if (!anyFoldable(root)) return root;
  const copies = new Map<object, unknown>();
  const copy = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const hit = copies.get(v);
    if (hit !== undefined) return hit;
    if (Array.isArray(v)) {
      const arr: unknown[] = [];
      copies.set(v, arr);
      for (const x of v) arr.push(copy(x));
      return arr;
    }
    const src = foldable(v as RawObject) ? fold(v as RawObject) : (v as RawObject);
    const obj: RawObject = {};
    copies.set(v, obj);
    for (const k of Object.keys(src)) obj[k] = copy(src[k]);
    return obj;
  };
  return copy(root) as T;
}

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
 */
import { deepEqual, isObject, type RawObject } from './json.js';

const FOLDABLE_KEYS = new Set(['properties', 'required', 'type', 'title', 'description', '$comment']);

export function foldable(raw: RawObject): boolean {
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

/** The properties and required names of a foldable object, its allOf branches' included. */
export function foldedObject(raw: RawObject): { properties: RawObject; required: string[] } {
  const properties: RawObject = isObject(raw.properties) ? { ...raw.properties } : {};
  const required: string[] = Array.isArray(raw.required) ? raw.required.filter((r): r is string => typeof r === 'string') : [];
  for (const b of raw.allOf as RawObject[]) {
    if (isObject(b.properties)) Object.assign(properties, b.properties);
    if (Array.isArray(b.required)) for (const r of b.required) if (typeof r === 'string' && !required.includes(r)) required.push(r);
  }
  return { properties, required };
}

/** An unevaluatedProperties object (no additionalProperties) with allOf branches that could not be folded. */
export function evaluatesThroughAllOf(raw: RawObject): boolean {
  return 'unevaluatedProperties' in raw && !('additionalProperties' in raw) && Array.isArray(raw.allOf);
}

/**
 * The object's own properties plus, as `true`, every name an allOf branch
 * declares: unevaluatedProperties does not apply to them (allOf evaluates them
 * whenever the instance is valid at all), and the branch itself still judges
 * their values as an allOf member. Without this such names would read as
 * unlisted in a closed object.
 */
export function withEvaluatedNames(raw: RawObject, own: RawObject): RawObject {
  let out: RawObject | undefined;
  for (const b of raw.allOf as unknown[]) {
    if (!isObject(b) || !isObject(b.properties)) continue;
    for (const k of Object.keys(b.properties)) {
      if (Object.hasOwn(own, k) || (out && Object.hasOwn(out, k))) continue;
      out ??= { ...own };
      out[k] = true;
    }
  }
  return out ?? own;
}

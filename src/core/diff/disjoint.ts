/**
 * "No instance can match both": the proof oneOf needs before it may accept
 * a new or widened branch (an instance matching two branches is rejected).
 * Conservative by construction: every answer but `true` means "can overlap".
 * Proofs: no JSON type in common, no enum/const value in common (or none of
 * the type the other side allows), or two objects that each require a key
 * whose schemas are themselves disjoint (a discriminator), or one requires a
 * key the other, closed, cannot hold.
 */
import type { ContentModel } from './types.js';
import { canonical, isObject, type RawObject } from './json.js';
import { deref, nodeOf, type Node } from './normalize.js';

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'object' | 'array';
const ALL: readonly JsonType[] = ['string', 'integer', 'number', 'boolean', 'null', 'object', 'array'];

function typeOfValue(v: unknown): JsonType[] {
  if (v === null) return ['null'];
  if (Array.isArray(v)) return ['array'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['integer', 'number'] : ['number'];
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'object') return [typeof v as JsonType];
  return [];
}

function intersect(a: Set<JsonType> | undefined, b: Set<JsonType> | undefined): Set<JsonType> | undefined {
  if (!a) return b;
  if (!b) return a;
  return new Set([...a].filter((t) => b.has(t)));
}

/** The JSON types a node can accept, or undefined for "any". A number accepts integers too. */
function types(n: Node, depth: number): Set<JsonType> | undefined {
  if (depth > 8) return undefined;
  switch (n.kind) {
    case 'false':
      return new Set();
    case 'string':
    case 'boolean':
    case 'null':
    case 'object':
    case 'array':
      return new Set([n.kind]);
    case 'number':
      return new Set<JsonType>(n.integer ? ['integer'] : ['integer', 'number']);
    case 'enum':
    case 'const': {
      const vals = values(n);
      return vals ? new Set(vals.flatMap((v) => typeOfValue(v))) : undefined;
    }
    case 'ref':
      return types(deref(n), depth + 1);
    case 'combined': {
      const parts = n.branches!.map((b) => types(deref(b.node), depth + 1));
      if (n.criterion === 'allOf') return parts.reduce<Set<JsonType> | undefined>((acc, p) => intersect(acc, p), undefined);
      if (parts.some((p) => p === undefined)) return undefined;
      return new Set(parts.flatMap((p) => [...p!]));
    }
    default:
      return undefined;
  }
}

/** The values a node is limited to by enum/const, or undefined when it is not so limited. */
function values(n: Node): unknown[] | undefined {
  const raw = isObject(n.raw) ? n.raw : undefined;
  if (!raw) return undefined;
  if (n.kind === 'const') return [raw.const];
  if (n.kind === 'enum') return Array.isArray(raw.enum) ? raw.enum : undefined;
  if (n.kind === 'combined' && n.criterion === 'allOf') {
    let out: unknown[] | undefined;
    for (const b of n.branches!) {
      const v = values(deref(b.node));
      if (!v) continue;
      if (!out) out = v;
      else {
        const keys = new Set(v.map((x) => canonical(x)));
        out = out.filter((x) => keys.has(canonical(x)));
      }
    }
    return out;
  }
  return undefined;
}

/** The raw objects whose object keywords constrain this node (its object facets). */
function objectParts(n: Node): RawObject[] {
  if (n.kind === 'object' && isObject(n.raw)) return [n.raw];
  if (n.kind === 'combined' && n.criterion === 'allOf') return n.branches!.flatMap((b) => objectParts(deref(b.node)));
  return [];
}

function requiredOf(raw: RawObject): string[] {
  return Array.isArray(raw.required) ? raw.required.filter((r): r is string => typeof r === 'string') : [];
}

function propsOf(raw: RawObject): RawObject {
  return isObject(raw.properties) ? raw.properties : {};
}

/** Whether this object can never hold a property called `name`. */
function forbids(raw: RawObject, name: string, model: ContentModel): boolean {
  const props = propsOf(raw);
  if (Object.hasOwn(props, name)) return props[name] === false;
  if (isObject(raw.patternProperties) && Object.keys(raw.patternProperties).length > 0) return false;
  const ap = 'additionalProperties' in raw ? raw.additionalProperties : raw.unevaluatedProperties;
  if (ap !== undefined) return ap === false;
  return model === 'closed';
}

function objectsDisjoint(a: Node, b: Node, model: ContentModel, depth: number): boolean {
  const pa = objectParts(a);
  const pb = objectParts(b);
  if (pa.length === 0 || pb.length === 0) return false;
  for (const ra of pa) {
    for (const name of requiredOf(ra)) {
      if (pb.some((rb) => forbids(rb, name, model))) return true;
      for (const rb of pb) {
        if (!requiredOf(rb).includes(name)) continue;
        const sa = propsOf(ra)[name];
        const sb = propsOf(rb)[name];
        if (sa !== undefined && sb !== undefined && disjoint(nodeOf(a.doc, sa), nodeOf(b.doc, sb), model, depth + 1)) return true;
      }
    }
  }
  for (const rb of pb) for (const name of requiredOf(rb)) if (pa.some((ra) => forbids(ra, name, model))) return true;
  return false;
}

/** True only when no instance can be accepted by both nodes. */
export function disjoint(a0: Node, b0: Node, model: ContentModel, depth = 0): boolean {
  if (depth > 6) return false;
  const a = deref(a0);
  const b = deref(b0);
  const ta = types(a, 0);
  const tb = types(b, 0);
  const common = intersect(ta ?? new Set(ALL), tb ?? new Set(ALL))!;
  if (common.size === 0) return true;
  const va = values(a);
  const vb = values(b);
  if (va && vb) {
    const keys = new Set(va.map((x) => canonical(x)));
    if (!vb.some((x) => keys.has(canonical(x)))) return true;
  }
  if (common.size === 1 && common.has('object')) return objectsDisjoint(a, b, model, depth);
  return false;
}

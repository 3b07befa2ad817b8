/**
 * Whether a schema node accepts one JSON value: true, false, or undefined
 * when that cannot be told without a full validator (object and array
 * keywords, format, if/then/else, external references).
 *
 * Used where the old side lists its values (enum, const): the new side then
 * accepts everything the old one did exactly when it accepts each listed
 * value, whatever its shape. "undefined" always means "do not rely on it".
 */
import { canonical, num, type RawObject } from './json.js';
import { deref, nodeOf, type Node } from './normalize.js';

type Tri = boolean | undefined;

const STRING_VALUE_KEYS = ['minLength', 'maxLength', 'pattern', 'format'];
const NUMBER_VALUE_KEYS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const OBJECT_KEYS = ['properties', 'required', 'minProperties', 'maxProperties', 'dependencies', 'dependentRequired', 'dependentSchemas', 'patternProperties', 'additionalProperties', 'unevaluatedProperties', 'propertyNames'];
const ARRAY_KEYS = ['items', 'prefixItems', 'additionalItems', 'unevaluatedItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains'];

function kindOf(v: unknown): 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v as 'string' | 'number' | 'boolean';
}

function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : undefined;
}

/** The values an enum or const node lists, in order as written. */
export function listedValues(n: Node): unknown[] | undefined {
  const raw = typeof n.raw === 'object' ? n.raw : {};
  if (n.kind === 'enum') return Array.isArray(raw.enum) ? raw.enum : [];
  if (n.kind === 'const') return [raw.const];
  return undefined;
}

export function accepts(n0: Node, value: unknown, depth = 0): Tri {
  if (depth > 32) return undefined;
  const n = deref(n0);
  const raw: RawObject = typeof n.raw === 'object' ? n.raw : {};
  const vk = kindOf(value);
  // Without "type", a kind inferred from keywords constrains only values of that kind.
  const typed = 'type' in raw;
  switch (n.kind) {
    case 'empty':
      return true;
    case 'false':
      return false;
    case 'extref':
    case 'conditional':
    case 'ref':
      return undefined;
    case 'enum':
    case 'const': {
      const key = canonical(value);
      return listedValues(n)!.some((v) => canonical(v) === key);
    }
    case 'not': {
      const inner = accepts(nodeOf(n.doc, raw.not), value, depth + 1);
      return inner === undefined ? undefined : !inner;
    }
    case 'combined': {
      const results = n.branches!.map((b) => accepts(b.node, value, depth + 1));
      if (n.criterion === 'allOf') return results.reduce<Tri>((acc, r) => and(acc, r), true);
      if (n.criterion === 'anyOf') return results.some((r) => r === true) ? true : results.every((r) => r === false) ? false : undefined;
      if (results.some((r) => r === undefined)) return undefined;
      return results.filter((r) => r === true).length === 1;
    }
    case 'null':
    case 'boolean':
      return vk === n.kind;
    case 'string':
      if (vk !== 'string') return !typed;
      return acceptsString(raw, value as string);
    case 'number':
      if (vk !== 'number') return !typed;
      if (n.integer && !Number.isInteger(value)) return false;
      return acceptsNumber(raw, value as number);
    case 'object':
      if (vk !== 'object') return !typed;
      return OBJECT_KEYS.some((k) => k in raw) ? undefined : true;
    case 'array':
      if (vk !== 'array') return !typed;
      return ARRAY_KEYS.some((k) => k in raw) ? undefined : true;
    default:
      return undefined;
  }
}

function acceptsString(raw: RawObject, s: string): Tri {
  if (!STRING_VALUE_KEYS.some((k) => k in raw)) return true;
  // JSON Schema counts characters as code points.
  const len = [...s].length;
  const max = num(raw.maxLength);
  const min = num(raw.minLength);
  if (max !== undefined && len > max) return false;
  if (min !== undefined && len < min) return false;
  let result: Tri = true;
  if (typeof raw.pattern === 'string') {
    try {
      if (!new RegExp(raw.pattern, 'u').test(s)) return false;
    } catch {
      result = undefined;
    }
  }
  // Format is judged as a type by the tessera profile; no format checker here, so do not guess.
  if (typeof raw.format === 'string') result = undefined;
  return result;
}

function acceptsNumber(raw: RawObject, x: number): Tri {
  if (!NUMBER_VALUE_KEYS.some((k) => k in raw)) return true;
  const min = num(raw.minimum);
  const max = num(raw.maximum);
  if (min !== undefined && (raw.exclusiveMinimum === true ? x <= min : x < min)) return false;
  if (max !== undefined && (raw.exclusiveMaximum === true ? x >= max : x > max)) return false;
  const xmin = num(raw.exclusiveMinimum);
  const xmax = num(raw.exclusiveMaximum);
  if (xmin !== undefined && x <= xmin) return false;
  if (xmax !== undefined && x >= xmax) return false;
  const m = num(raw.multipleOf);
  if (m !== undefined && m > 0) {
    const q = x / m;
    // Fractional divisors (0.01) make q inexact: only a clear verdict counts.
    if (Number.isInteger(q)) return true;
    if (Math.abs(q - Math.round(q)) < 1e-9 * Math.max(1, Math.abs(q))) return undefined;
    return false;
  }
  return true;
}

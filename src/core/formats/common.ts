/** What every exporter shares: its result shape and the property walk. */
import { PHYSICAL_TYPE_KEY } from '../diff/physical.js';
import { isObject } from '../schema/walk.js';
import { resolvePointer } from '../schema/refs.js';
import { odcsExpressible, type LogicalType } from './odcs-types.js';

type Obj = Record<string, unknown>;

/** An exported document and what the target format could not express (listed on stderr, one line each). */
export interface Exported<T> {
  value: T;
  lost: string[];
}

/** An object schema's properties in order, each with whether it is required. */
export function propertiesOf(schema: Obj): Array<[string, Obj, boolean]> {
  const props = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(props).map(([name, p]) => [name, isObject(p) ? p : {}, required.has(name)]);
}

/** Keywords of a property the logical-type view (ODCS, and the column formats built on it) cannot carry. */
export function exportLost(schema: Obj, logicalType: LogicalType | undefined, alsoHandled: readonly string[] = []): string[] {
  const ok = odcsExpressible(logicalType, schema);
  return Object.keys(schema).filter((k) => !ok.has(k) && k !== PHYSICAL_TYPE_KEY && !alsoHandled.includes(k) && !k.startsWith('x-'));
}

/** The same object with these keys first, in this order; the rest after, as they were. */
export function ordered(o: Obj, first: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of first) if (o[k] !== undefined) out[k] = o[k];
  for (const [k, v] of Object.entries(o)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

/** Keywords whose values are data, never schemas: a `$ref` key in them is not a reference. */
const DATA = new Set(['enum', 'const', 'default', 'examples', 'example']);

/**
 * The schema with its local `$ref`s replaced by their targets (siblings laid
 * over), `$defs`/`definitions` dropped: column formats have no references.
 * A reference back into itself (a tree) is left as `$ref`, for the exporter
 * to report.
 */
export function inlineRefs(root: Obj): Obj {
  const walk = (node: unknown, stack: readonly string[]): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, stack));
    if (!isObject(node)) return node;
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#') && !stack.includes(ref)) {
      const target = resolvePointer(root, decodeURIComponent(ref.slice(1)));
      if (target.found && isObject(target.value)) {
        const { $ref: _r, ...siblings } = node;
        return walk({ ...target.value, ...siblings }, [...stack, ref]);
      }
    }
    const out: Obj = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$defs' || k === 'definitions') continue;
      out[k] = DATA.has(k) || k.startsWith('x-') ? v : walk(v, stack);
    }
    return out;
  };
  return walk(root, []) as Obj;
}

/** `/properties/a: xml (...)` lines, one per problem with every place it occurs, in first-seen order: a long list of the same thing helps nobody. */
export function groupLost(lines: readonly string[]): string[] {
  const places = new Map<string, string[]>();
  for (const l of lines) {
    const m = /^(\/[^:]*): (.*)$/.exec(l);
    const key = m ? m[2]! : l;
    if (!places.has(key)) places.set(key, []);
    if (m) places.get(key)!.push(m[1]!);
  }
  return [...places].map(([what, at]) => (at.length > 0 ? `${what} at ${at.join(', ')}` : what));
}

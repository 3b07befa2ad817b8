/** What every exporter shares: its result shape and the property walk. */
import { PHYSICAL_TYPE_KEY } from '../diff/physical.js';
import { isObject } from '../schema/walk.js';
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

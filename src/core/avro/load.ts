/**
 * Avro schema input: a parsed JSON value in, a checked Avro contract out.
 * avsc parses and validates (names, references, defaults); we add the
 * contract's own requirement (a record at the top) and one-line errors.
 */
import { isObject } from '../schema/walk.js';
import type { JsonSchema } from '../diff/types.js';
import { quote, schemaInputError } from '../schema/problem.js';
import { avroTypeOf, type AvroType } from './avsc.js';
import { describe, nodeOf, type AvroNode } from './node.js';
import { columnView } from './view.js';

export interface AvroContract {
  /** The Avro schema exactly as given: what the registry stores. */
  schema: unknown;
  /** avsc's type of the top-level record. */
  type: AvroType;
  node: AvroNode;
  /** The derived JSON Schema of the record's fields (see ./view.ts). */
  view: JsonSchema;
}

const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

/**
 * A list of named types, the last the record that uses the others (the order
 * Schema.Parser reads several .avsc files in): the references travel with the
 * schema. Any other list is a union, which a contract's top level cannot be.
 */
function referenceList(value: unknown): Record<string, unknown>[] | undefined {
  return Array.isArray(value) && value.length > 1 && value.every((v) => isObject(v) && NAMED.has(String(v.type))) ? (value as Record<string, unknown>[]) : undefined;
}

function parseTypes(value: unknown): AvroType {
  const list = referenceList(value);
  if (!list) return avroTypeOf(value);
  const registry: Record<string, AvroType> = {};
  let last: AvroType | undefined;
  for (const v of list) last = avroTypeOf(v, registry);
  return last!;
}

function avroError(source: string, err: unknown) {
  const msg = err instanceof Error ? err.message : String(err);
  const unknown = /^undefined type name: (.+)$/.exec(msg);
  if (unknown) {
    return schemaInputError(source, `names an unknown Avro type ${quote(unknown[1]!)}`, 'define a named type before its first use (or list it earlier, before the record), or fix the spelling; the primitive types are null, boolean, int, long, float, double, bytes, string');
  }
  if (err instanceof RangeError) return schemaInputError(source, 'nests too deeply to read as an Avro schema', 'flatten the schema');
  return schemaInputError(source, `is not a valid Avro schema: ${quote(msg, 200)}`, 'fix the schema (Avro specification, "Schema Declaration")');
}

/** Any Avro schema (a record, a primitive, a union...), checked by avsc. */
export function parseAvroValue(value: unknown, source: string): AvroContract {
  if (!isObject(value) && !Array.isArray(value) && typeof value !== 'string') {
    throw schemaInputError(source, 'is not an Avro schema', 'an Avro contract is a record schema such as {"type": "record", "name": "Order", "fields": [...]}');
  }
  let type: AvroType;
  try {
    type = parseTypes(value);
  } catch (err) {
    throw avroError(source, err);
  }
  const node = nodeOf(type, referenceList(value)?.at(-1) ?? value);
  return { schema: value, type, node, view: columnView(node) };
}

/** An Avro contract: a record schema (its fields are the contract's columns). */
export function loadAvroValue(value: unknown, source: string): AvroContract {
  const parsed = parseAvroValue(value, source);
  const node = parsed.node;
  if (node.kind !== 'record') {
    throw schemaInputError(source, `is an Avro ${describe(node)}, not a record`, 'a contract describes the fields of a record: wrap the type in {"type": "record", "name": ..., "fields": [...]}');
  }
  return parsed;
}

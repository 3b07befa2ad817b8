/**
 * The column view of an Avro record: a JSON Schema of its fields, stored
 * beside the Avro schema so that `show`, the UI, guarantees and the dbt paths
 * read an Avro contract as they read any other. It is derived, never judged:
 * compatibility is decided on the Avro schema itself.
 */
import type { JsonSchema } from '../diff/types.js';
import type { AvroNode } from './node.js';

type Obj = Record<string, unknown>;

/** Logical types as warehouse types: the x-physical-type names of src/core/diff/physical.ts. */
const LOGICAL: Record<string, Obj> = {
  date: { type: 'string', format: 'date', 'x-physical-type': 'date' },
  'time-millis': { type: 'string', format: 'time', 'x-physical-type': 'time' },
  'time-micros': { type: 'string', format: 'time', 'x-physical-type': 'time' },
  'timestamp-millis': { type: 'string', format: 'date-time', 'x-physical-type': 'timestamptz' },
  'timestamp-micros': { type: 'string', format: 'date-time', 'x-physical-type': 'timestamptz' },
  'timestamp-nanos': { type: 'string', format: 'date-time', 'x-physical-type': 'timestamptz' },
  'local-timestamp-millis': { type: 'string', 'x-physical-type': 'timestamp_ntz' },
  'local-timestamp-micros': { type: 'string', 'x-physical-type': 'timestamp_ntz' },
  'local-timestamp-nanos': { type: 'string', 'x-physical-type': 'timestamp_ntz' },
  uuid: { type: 'string', format: 'uuid', 'x-physical-type': 'uuid' },
  decimal: { type: 'number', 'x-physical-type': 'numeric' },
};

const PRIMITIVE: Record<string, Obj> = {
  null: { type: 'null' },
  boolean: { type: 'boolean', 'x-physical-type': 'boolean' },
  int: { type: 'integer', 'x-physical-type': 'int' },
  long: { type: 'integer', 'x-physical-type': 'bigint' },
  float: { type: 'number', 'x-physical-type': 'real' },
  double: { type: 'number', 'x-physical-type': 'double' },
  bytes: { type: 'string', contentEncoding: 'base64', 'x-physical-type': 'bytea' },
  string: { type: 'string', 'x-physical-type': 'text' },
};

function viewOf(n: AvroNode, open: Set<AvroNode>): Obj {
  switch (n.kind) {
    case 'primitive':
      return { ...((n.logicalType && LOGICAL[n.logicalType]) || PRIMITIVE[n.type] || {}) };
    case 'fixed':
      return n.logicalType === 'decimal' ? { ...LOGICAL.decimal } : { type: 'string', contentEncoding: 'base64', 'x-physical-type': 'bytea', maxLength: n.size };
    case 'enum':
      return withDoc({ type: 'string', enum: [...n.symbols] }, n.doc);
    case 'array':
      return { type: 'array', items: viewOf(n.items, open) };
    case 'map':
      return { type: 'object', additionalProperties: viewOf(n.values, open) };
    case 'record': {
      // A recursive record cannot be written out inline; its reference stays an object.
      if (open.has(n)) return { type: 'object', description: `recursive reference to ${n.name}` };
      open.add(n);
      const properties: Obj = {};
      for (const f of n.fields) {
        const p = viewOf(f.type, open);
        if (f.doc !== undefined) p.description = f.doc;
        if (f.default !== undefined) p.default = f.default;
        properties[f.name] = p;
      }
      open.delete(n);
      // Every Avro record carries every field; absence is a union with null, not a missing key.
      return withDoc({ type: 'object', properties, required: n.fields.map((f) => f.name), additionalProperties: false }, n.doc);
    }
    case 'union': {
      const others = n.branches.filter((b) => !(b.kind === 'primitive' && b.type === 'null'));
      const nullable = others.length < n.branches.length;
      if (others.length === 1) {
        const v = viewOf(others[0]!, open);
        return nullable ? orNull(v) : v;
      }
      const anyOf = others.map((b) => viewOf(b, open));
      return { anyOf: nullable ? [...anyOf, { type: 'null' }] : anyOf };
    }
  }
}

function withDoc(o: Obj, doc: string | undefined): Obj {
  if (doc !== undefined) o.description = doc;
  return o;
}

/** ["null", X] is X that may be null: the type list gains "null" (an enum gains the null value too). */
function orNull(v: Obj): Obj {
  if (typeof v.type !== 'string') return { anyOf: [v, { type: 'null' }] };
  const out: Obj = { ...v, type: [v.type, 'null'] };
  if (Array.isArray(v.enum)) out.enum = [...v.enum, null];
  return out;
}

/** The JSON Schema column view of a record (its title is the record's full name). */
export function columnView(root: AvroNode): JsonSchema {
  const v = viewOf(root, new Set());
  return root.kind === 'record' ? { title: root.name, ...v } : v;
}

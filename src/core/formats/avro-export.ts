/**
 * A contract's column view -> an Avro record schema (Avro 1.11 specification).
 * Deliberately independent of Avro import (src/core/avro/): this is the
 * JSON-Schema-to-Avro direction only.
 *
 * A property that is not required may be absent, which Avro spells as a
 * union with "null" first and a null default. Integer widths come from the
 * physical type when it names a 32-bit one (int, integer, int4, smallint,
 * tinyint); otherwise long, which holds every JSON integer a 64-bit column
 * can. Everything Avro cannot say (string lengths, bounds, patterns,
 * guarantees, combinators) is returned in `lost`.
 */
import type { Asset, Version } from '../model.js';
import { guaranteeKey } from '../guarantees.js';
import { PHYSICAL_TYPE_KEY } from '../diff/physical.js';
import { isObject } from '../schema/walk.js';
import { inlineRefs, propertiesOf, type Exported } from './common.js';

type Obj = Record<string, unknown>;
type Avro = string | Obj | Array<string | Obj>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INT32 = new Set(['int', 'integer', 'int4', 'int32', 'smallint', 'int2', 'int16', 'tinyint', 'byteint', 'mediumint', 'serial', 'serial4', 'smallserial', 'serial2']);
const FLOAT32 = new Set(['real', 'float4', 'float32']);
/** Keywords the mapping below reads; the others are reported as lost. */
const READ = new Set(['type', 'format', 'description', 'properties', 'required', 'items', 'enum', PHYSICAL_TYPE_KEY]);

const avroName = (raw: string): string => {
  const s = raw.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s || '_';
};

interface Ctx {
  lost: string[];
  names: Set<string>;
}

function uniqueName(base: string, ctx: Ctx): string {
  let name = avroName(base);
  for (let i = 2; ctx.names.has(name); i++) name = `${avroName(base)}_${i}`;
  ctx.names.add(name);
  return name;
}

function typeOf(s: Obj, name: string, pointer: string, ctx: Ctx): Avro {
  for (const k of Object.keys(s)) if (!READ.has(k) && !k.startsWith('x-') && k !== 'examples' && k !== 'example') ctx.lost.push(`${pointer}: ${k} (Avro has no ${k})`);
  const types = Array.isArray(s.type) ? s.type.filter((t) => t !== 'null') : s.type === undefined ? [] : [s.type];
  if (Array.isArray(s.enum)) {
    const symbols = s.enum.filter((v): v is string => typeof v === 'string' && NAME.test(v));
    if (symbols.length === s.enum.length && symbols.length > 0) return { type: 'enum', name: uniqueName(`${name}_enum`, ctx), symbols };
    ctx.lost.push(`${pointer}: enum (values that are not Avro symbol names; written as the plain type)`);
  }
  if (types.length !== 1) {
    ctx.lost.push(`${pointer}: ${types.length === 0 ? 'no type' : `the types ${types.join(', ')}`} (written as string)`);
    return 'string';
  }
  const physical = typeof s[PHYSICAL_TYPE_KEY] === 'string' ? (s[PHYSICAL_TYPE_KEY] as string) : '';
  switch (types[0]) {
    case 'string':
      if (s.format === 'date') return { type: 'int', logicalType: 'date' };
      if (s.format === 'date-time') return { type: 'long', logicalType: 'timestamp-micros' };
      if (s.format === 'time') return { type: 'long', logicalType: 'time-micros' };
      if (s.format === 'uuid') return { type: 'string', logicalType: 'uuid' };
      if (s.format !== undefined) ctx.lost.push(`${pointer}: format ${String(s.format)} (Avro has no such logical type)`);
      return 'string';
    case 'integer':
      return INT32.has(physical) ? 'int' : 'long';
    case 'number':
      return FLOAT32.has(physical) ? 'float' : 'double';
    case 'boolean':
      return 'boolean';
    case 'array':
      return { type: 'array', items: isObject(s.items) ? typeOf(s.items, `${name}_item`, `${pointer}/items`, ctx) : (ctx.lost.push(`${pointer}: items (untyped; written as string)`), 'string') };
    case 'object':
      return record(s, name, pointer, ctx);
    default:
      ctx.lost.push(`${pointer}: type ${String(types[0])} (written as string)`);
      return 'string';
  }
}

function record(s: Obj, name: string, pointer: string, ctx: Ctx, namespace?: string): Obj {
  const fields = propertiesOf(s).map(([prop, p, required]) => {
    const fieldName = avroName(prop);
    if (fieldName !== prop) ctx.lost.push(`${pointer}/properties/${prop}: the name (not an Avro name; written as ${fieldName})`);
    const t = typeOf(p, prop, `${pointer}/properties/${prop}`, ctx);
    const field: Obj = { name: fieldName, type: required ? t : ['null', ...(Array.isArray(t) ? t : [t])] };
    if (!required) field.default = null;
    if (typeof p.description === 'string') field.doc = p.description;
    return field;
  });
  const out: Obj = { type: 'record', name: uniqueName(name, ctx) };
  if (namespace) out.namespace = namespace;
  if (typeof s.description === 'string') out.doc = s.description;
  out.fields = fields;
  return out;
}

export function exportAvro(asset: Asset, version: Version): Exported<Obj> {
  const ctx: Ctx = { lost: [], names: new Set() };
  const schema = inlineRefs(isObject(version.schema) ? version.schema : {});
  const dot = asset.id.lastIndexOf('.');
  const namespace = dot > 0 ? asset.id.slice(0, dot).split('.').map(avroName).join('.') : undefined;
  if (schema.type !== 'object') ctx.lost.push(`/: the contract is not an object schema (written as a record of its properties)`);
  const value = record(schema, asset.id.slice(dot + 1), '', ctx, namespace);
  for (const g of version.guarantees) ctx.lost.push(`guarantee ${guaranteeKey(g)} (Avro has no data-quality guarantees)`);
  for (const k of Object.keys(schema)) if (!READ.has(k) && !k.startsWith('x-') && !['$schema', 'title', '$id'].includes(k)) ctx.lost.push(`/: ${k} (Avro has no ${k})`);
  return { value, lost: ctx.lost };
}

/**
 * Warehouse column types -> JSON Schema, as ONE table (TYPE_TABLE) plus a small
 * parser for the type string. docs/dbt.md renders the same table; keep them in
 * step (a unit test checks every row).
 *
 * Conventions (why, not what):
 * - A column's JSON Schema never includes "null": Tessera models a NULL as an
 *   absent property, and NOT NULL as `required` (see plan.ts), so nullability
 *   is diffed as required-ness, which is what consumers feel.
 * - An unknown type is never guessed: it maps to {} (any value) and the caller
 *   gets a warning, because a wrong guess would make later diffs lie.
 * - Integer sizes (smallint, tinyint...) carry no bounds: the same name means
 *   different widths per warehouse (Snowflake's TINYINT is NUMBER(38,0)).
 */
import type { JsonSchema } from '../core/diff/types.js';

type Schema = Exclude<JsonSchema, boolean>;

export type TypeGroup =
  | 'string'
  | 'integer'
  | 'decimal'
  | 'float'
  | 'boolean'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'uuid'
  | 'binary'
  | 'any'
  | 'array'
  | 'struct'
  | 'map';

export interface TypeRow {
  group: TypeGroup;
  /** Lower-case names, multi-word names with single spaces. */
  names: readonly string[];
  /** The JSON Schema for the bare name; parameters refine it (see `mapColumnType`). */
  schema: Schema;
  /** One line for docs/dbt.md: what parameters do and why. */
  note: string;
}

export const TYPE_TABLE: readonly TypeRow[] = [
  {
    group: 'string',
    names: [
      'varchar', 'character varying', 'char', 'character', 'nchar', 'nvarchar', 'national character varying',
      'bpchar', 'varchar2', 'nvarchar2', 'string', 'text', 'tinytext', 'mediumtext', 'longtext', 'clob',
    ],
    schema: { type: 'string' },
    note: '(n) adds maxLength n; (max) and Snowflake\'s default VARCHAR(16777216) add none, so declaring the default explicitly is not a change',
  },
  {
    group: 'integer',
    names: [
      'int', 'integer', 'bigint', 'smallint', 'tinyint', 'byteint', 'mediumint', 'int2', 'int4', 'int8', 'int16', 'int32',
      'int64', 'int128', 'hugeint', 'uhugeint', 'ubigint', 'uinteger', 'usmallint', 'utinyint', 'short', 'byte',
      'serial', 'smallserial', 'bigserial', 'serial2', 'serial4', 'serial8',
    ],
    schema: { type: 'integer' },
    note: "no bounds: widths differ per warehouse for the same name; not LONG (Spark's BIGINT, Oracle's text)",
  },
  {
    group: 'decimal',
    names: ['numeric', 'decimal', 'number', 'dec', 'bignumeric', 'bigdecimal'],
    schema: { type: 'number' },
    note: '(p,0) or (p) -> integer; (p,s>0) -> number with multipleOf 10^-s (s <= 9); precision p-s <= 15 adds exclusiveMinimum/Maximum ±10^(p-s) (larger bounds are not exact doubles); bare NUMBER/DECIMAL/NUMERIC on Snowflake is NUMBER(38,0) -> integer',
  },
  {
    group: 'float',
    names: ['float', 'float4', 'float8', 'float32', 'float64', 'double', 'double precision', 'real', 'binary_float', 'binary_double'],
    schema: { type: 'number' },
    note: 'parameters (float(24)) are ignored',
  },
  { group: 'boolean', names: ['boolean', 'bool'], schema: { type: 'boolean' }, note: 'not BIT: a bit string in Postgres, a boolean in SQL Server' },
  { group: 'date', names: ['date'], schema: { type: 'string', format: 'date' }, note: '' },
  {
    group: 'time',
    names: ['time', 'timetz', 'time with time zone', 'time without time zone'],
    schema: { type: 'string', format: 'time' },
    note: 'fractional-second precision (time(6)) is ignored',
  },
  {
    group: 'timestamp',
    names: [
      'timestamp', 'timestamp_ntz', 'timestamp_tz', 'timestamp_ltz', 'timestamptz', 'datetime', 'datetime2', 'smalldatetime',
      'datetimeoffset', 'timestamp with time zone', 'timestamp without time zone', 'timestamp with local time zone',
      'timestamp_s', 'timestamp_ms', 'timestamp_ns', 'timestamp_us',
    ],
    schema: { type: 'string', format: 'date-time' },
    note: 'precision (timestamp_ntz(9)) is ignored',
  },
  { group: 'uuid', names: ['uuid', 'uniqueidentifier'], schema: { type: 'string', format: 'uuid' }, note: '' },
  {
    group: 'binary',
    names: ['binary', 'varbinary', 'bytes', 'bytea', 'blob', 'varbyte', 'long varbinary'],
    schema: { type: 'string', contentEncoding: 'base64' },
    note: 'binary values travel as base64 text in JSON',
  },
  {
    group: 'any',
    names: ['json', 'jsonb', 'variant', 'super', 'object'],
    schema: {},
    note: 'semi-structured: any JSON value; a typed OBJECT(a T, ...) is a struct',
  },
  {
    group: 'array',
    names: ['array', 'list'],
    schema: { type: 'array' },
    note: 'array<T>, T[], ARRAY(T), T[n] -> items from T; a bare ARRAY has no items',
  },
  {
    group: 'struct',
    names: ['struct', 'record', 'row'],
    schema: { type: 'object' },
    note: 'struct<a:T,...>, STRUCT(a T, ...), OBJECT(a T, ...) -> properties (none required: fields are nullable); closed like the table',
  },
  {
    group: 'map',
    names: ['map'],
    schema: { type: 'object' },
    note: 'map<K,V> / MAP(K, V) -> object with additionalProperties from V (keys are data, not columns)',
  },
];

const BY_NAME: ReadonlyMap<string, TypeRow> = new Map(TYPE_TABLE.flatMap((row) => row.names.map((n) => [n, row] as const)));

/** Snowflake's largest VARCHAR, what it reports for a plain VARCHAR. */
const SNOWFLAKE_MAX_VARCHAR = 16_777_216;
const MAX_EXACT_DIGITS = 15;
const MAX_SCALE = 9;

export interface TypeMapping {
  schema: Schema;
  /**
   * The base type name of a scalar column (`bigint`, `varchar`, `timestamp_tz`),
   * kept in the contract as x-physical-type: int -> bigint maps to the same
   * JSON type and only this tells the widening apart. Undefined for arrays,
   * structs, maps, semi-structured and unknown types.
   */
  physical?: string;
  /** Type names (lower-case) that were not in the table: their part of the schema is {}. */
  unknown: string[];
}

export interface MapOptions {
  /** metadata.adapter_type: only changes the meaning of bare NUMBER on Snowflake. */
  adapter?: string | undefined;
}

const cache = new Map<string, Map<string, TypeMapping>>();
const CACHE_MAX = 10_000;

/** Maps one warehouse type string (as in `data_type` or `column_types`) to JSON Schema. */
export function mapColumnType(raw: string, options: MapOptions = {}): TypeMapping {
  const hit = mapColumnTypeShared(raw, options);
  return { schema: clone(hit.schema), unknown: [...hit.unknown], ...(hit.physical !== undefined ? { physical: hit.physical } : {}) };
}

/**
 * The cached mapping itself, for callers that copy before changing anything
 * (schema.ts spreads it into each property). A project uses a few dozen
 * distinct type strings across 300,000 columns: each is parsed once.
 */
export function mapColumnTypeShared(raw: string, options: MapOptions = {}): Readonly<TypeMapping> {
  // Per adapter, then per type string: no key string is built per column.
  const adapter = options.adapter ?? '';
  let byRaw = cache.get(adapter);
  if (!byRaw) cache.set(adapter, (byRaw = new Map()));
  let hit = byRaw.get(raw);
  if (!hit) {
    hit = mapUncached(raw, options);
    if (byRaw.size >= CACHE_MAX) byRaw.clear();
    byRaw.set(raw, hit);
  }
  return hit;
}

/** Callers own (and may extend) what they get back, so the cached value is never handed out. */
function clone(schema: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (Array.isArray(v)) out[k] = v.map((x) => (typeof x === 'object' && x !== null ? clone(x as Schema) : x));
    else out[k] = typeof v === 'object' && v !== null ? clone(v as Schema) : v;
  }
  return out;
}

function mapUncached(raw: string, options: MapOptions): TypeMapping {
  const unknown: string[] = [];
  let node: TypeNode | undefined;
  try {
    const p = new Parser(raw);
    node = p.parseType();
    if (!p.atEnd()) node = undefined;
  } catch {
    node = undefined;
  }
  if (!node) {
    unknown.push(raw.trim().toLowerCase().replace(/\s+/g, ' '));
    return { schema: {}, unknown };
  }
  const schema = toSchema(node, options, unknown);
  const group = node.arrayOf ? undefined : BY_NAME.get(node.name)?.group;
  const scalar = group !== undefined && !NON_SCALAR.has(group);
  return scalar ? { schema, unknown, physical: node.name } : { schema, unknown };
}

const NON_SCALAR: ReadonlySet<TypeGroup> = new Set(['array', 'struct', 'map', 'any']);

function toSchema(node: TypeNode, options: MapOptions, unknown: string[]): Schema {
  if (node.arrayOf) {
    return { type: 'array', items: toSchema(node.arrayOf, options, unknown) };
  }
  const row = BY_NAME.get(node.name);
  if (!row) {
    unknown.push(node.name);
    return {};
  }
  switch (row.group) {
    case 'string':
      return stringSchema(node, options);
    case 'decimal':
      return decimalSchema(node, options);
    case 'array': {
      const item = node.typeArgs[0];
      return item ? { type: 'array', items: toSchema(item, options, unknown) } : { ...row.schema };
    }
    case 'struct':
      return structSchema(node, options, unknown) ?? { ...row.schema };
    case 'map': {
      const value = node.typeArgs[1];
      return value ? { type: 'object', additionalProperties: toSchema(value, options, unknown) } : { ...row.schema };
    }
    case 'any':
      // A typed Snowflake OBJECT(a T, ...) is a struct; an untyped one is any.
      return node.fields.length > 0 ? (structSchema(node, options, unknown) ?? {}) : {};
    default:
      return { ...row.schema };
  }
}

function stringSchema(node: TypeNode, options: MapOptions): Schema {
  const n = node.numArgs[0];
  if (n === undefined || !Number.isInteger(n) || n <= 0) return { type: 'string' };
  if (n >= SNOWFLAKE_MAX_VARCHAR && (options.adapter ?? '').toLowerCase() === 'snowflake') return { type: 'string' };
  return { type: 'string', maxLength: n };
}

function decimalSchema(node: TypeNode, options: MapOptions): Schema {
  const [p, s] = node.numArgs;
  if (p === undefined) {
    return (options.adapter ?? '').toLowerCase() === 'snowflake' && node.name !== 'bignumeric' ? { type: 'integer' } : { type: 'number' };
  }
  const scale = s ?? 0;
  const schema: Schema = scale === 0 ? { type: 'integer' } : { type: 'number' };
  if (scale > 0 && scale <= MAX_SCALE) schema['multipleOf'] = Number(`1e-${scale}`);
  const digits = p - scale;
  if (Number.isInteger(digits) && digits > 0 && digits <= MAX_EXACT_DIGITS) {
    const bound = Number(`1e${digits}`);
    schema['exclusiveMinimum'] = -bound;
    schema['exclusiveMaximum'] = bound;
  }
  return schema;
}

function structSchema(node: TypeNode, options: MapOptions, unknown: string[]): Schema | undefined {
  if (node.fields.length === 0) return undefined;
  const entries = node.fields.map((f) => [f.name, toSchema(f.type, options, unknown)] as const);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { type: 'object', properties: Object.fromEntries(entries) };
}

// ---- parser ---------------------------------------------------------------

interface TypeNode {
  /** Lower-case words joined by one space, e.g. "timestamp with time zone". */
  name: string;
  numArgs: number[];
  typeArgs: TypeNode[];
  fields: Array<{ name: string; type: TypeNode }>;
  arrayOf?: TypeNode;
}

type Token = { kind: 'word'; value: string } | { kind: 'quoted'; value: string } | { kind: 'punct'; value: string };

const COMPOSITE_PARENS = new Set(['array', 'list', 'struct', 'record', 'row', 'object', 'map']);
const MAX_DEPTH = 32;

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isPunct(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'punct' && t.value === v;
  }

  private expect(v: string): void {
    if (!this.isPunct(v)) throw new Error(`expected ${v}`);
    this.pos++;
  }

  private words(): string[] {
    const out: string[] = [];
    for (let t = this.peek(); t && t.kind === 'word'; t = this.peek()) {
      out.push(t.value.toLowerCase());
      this.pos++;
    }
    return out;
  }

  parseType(): TypeNode {
    if (++this.depth > MAX_DEPTH) throw new Error('too deep');
    let words = this.words();
    if (words.length === 0) throw new Error('expected a type name');
    // Greedy words may run into field modifiers ("int not null"): keep the longest known name.
    for (let n = words.length; n >= 1 && !BY_NAME.has(words.join(' ')); n--) {
      if (BY_NAME.has(words.slice(0, n).join(' '))) {
        this.pos -= words.length - n;
        words = words.slice(0, n);
        break;
      }
    }
    const node: TypeNode = { name: words.join(' '), numArgs: [], typeArgs: [], fields: [] };
    if (this.isPunct('(')) {
      this.pos++;
      if (COMPOSITE_PARENS.has(node.name)) this.compositeArgs(node, ')');
      else this.numericArgs(node);
      this.expect(')');
      // "timestamp(6) with time zone"
      const tail = this.words();
      if (tail.length) node.name = [node.name, ...tail].join(' ');
    } else if (this.isPunct('<')) {
      this.pos++;
      this.compositeArgs(node, '>');
      this.expect('>');
    }
    let result = node;
    while (this.isPunct('[')) {
      this.pos++;
      // DuckDB fixed-size arrays: INTEGER[3]
      const t = this.peek();
      if (t && t.kind === 'word' && /^\d+$/.test(t.value)) this.pos++;
      this.expect(']');
      result = { name: 'array', numArgs: [], typeArgs: [], fields: [], arrayOf: result };
    }
    this.depth--;
    return result;
  }

  private numericArgs(node: TypeNode): void {
    while (!this.isPunct(')')) {
      const t = this.peek();
      if (!t || t.kind !== 'word') throw new Error('bad argument');
      this.pos++;
      // "max" (varchar(max)) and units (varchar(10 char)) carry no bound.
      if (/^\d+$/.test(t.value)) node.numArgs.push(Number(t.value));
      else if (node.numArgs.length === 0) node.numArgs.push(Number.NaN);
      while (this.peek()?.kind === 'word') this.pos++;
      if (this.isPunct(',')) this.pos++;
    }
  }

  /** Either types (array<T>, map<K,V>) or named fields (struct<a:T>, STRUCT(a T)). */
  private compositeArgs(node: TypeNode, close: string): void {
    const isFields = node.name === 'struct' || node.name === 'record' || node.name === 'row' || node.name === 'object';
    while (!this.isPunct(close)) {
      if (isFields) {
        const t = this.peek();
        if (!t || t.kind === 'punct') throw new Error('expected a field name');
        this.pos++;
        if (this.isPunct(':')) this.pos++;
        node.fields.push({ name: t.kind === 'quoted' ? t.value : t.value.toLowerCase(), type: this.parseType() });
        // Trailing NOT NULL / COMMENT 'x' on BigQuery/Spark struct fields.
        this.skipFieldModifiers(close);
      } else {
        node.typeArgs.push(this.parseType());
      }
      if (this.isPunct(',')) this.pos++;
      else if (!this.isPunct(close)) throw new Error('expected , or ' + close);
    }
  }

  private skipFieldModifiers(close: string): void {
    while (this.peek() && !this.isPunct(',') && !this.isPunct(close)) {
      if (this.isPunct('(') || this.isPunct('<')) throw new Error('unexpected');
      this.pos++;
    }
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if ('()<>,:[]'.includes(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else if (c === '"' || c === '`' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error('unterminated quote');
      tokens.push({ kind: 'quoted', value: text.slice(i + 1, end) });
      i = end + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s()<>,:[\]"`']/.test(text[j] ?? '')) j++;
      tokens.push({ kind: 'word', value: text.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

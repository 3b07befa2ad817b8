/**
 * ODCS logicalType (+ logicalTypeOptions) <-> JSON Schema keywords, one table
 * for both directions so import and export cannot drift apart.
 * Options JSON Schema has no keyword for (a date's JDK format, a timestamp's
 * timezone, an integer's bit width) are not mapped: import keeps them under
 * the property's `x-odcs` and export puts them back.
 */
export const LOGICAL_TYPES = ['string', 'date', 'timestamp', 'time', 'number', 'integer', 'object', 'array', 'boolean'] as const;
export type LogicalType = (typeof LOGICAL_TYPES)[number];

/** logicalType -> the JSON type and, for the temporal ones, the JSON Schema format. */
const JSON_OF: Record<LogicalType, { type: string; format?: string }> = {
  string: { type: 'string' },
  date: { type: 'string', format: 'date' },
  timestamp: { type: 'string', format: 'date-time' },
  time: { type: 'string', format: 'time' },
  number: { type: 'number' },
  integer: { type: 'integer' },
  object: { type: 'object' },
  array: { type: 'array' },
  boolean: { type: 'boolean' },
};

/** logicalTypeOptions that are JSON Schema keywords of the same name and meaning, per logical type. */
const OPTION_KEYWORDS: Partial<Record<LogicalType, readonly string[]>> = {
  string: ['minLength', 'maxLength', 'pattern'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  object: ['minProperties', 'maxProperties'],
  array: ['minItems', 'maxItems', 'uniqueItems'],
};

/** OpenAPI's number formats (on a JSON Schema from OpenAPI) in ODCS's Rust-style words. */
const WIDTH_FORMATS: Partial<Record<LogicalType, Record<string, string>>> = { integer: { int32: 'i32', int64: 'i64' }, number: { float: 'f32', double: 'f64' } };

/** String formats both ODCS and JSON Schema name alike. */
const SHARED_STRING_FORMATS = new Set(['email', 'uuid', 'uri', 'hostname', 'ipv4', 'ipv6']);

export function isLogicalType(v: unknown): v is LogicalType {
  return typeof v === 'string' && (LOGICAL_TYPES as readonly string[]).includes(v);
}

/** The JSON Schema keywords for a logical type and its options, and the options left over. */
export function logicalToJson(type: LogicalType, options: Record<string, unknown> | undefined): { schema: Record<string, unknown>; rest: Record<string, unknown> } {
  const schema: Record<string, unknown> = { ...JSON_OF[type] };
  const rest: Record<string, unknown> = {};
  const keywords = OPTION_KEYWORDS[type] ?? [];
  for (const [k, v] of Object.entries(options ?? {})) {
    if (keywords.includes(k)) schema[k] = v;
    else if (type === 'string' && k === 'format' && typeof v === 'string' && SHARED_STRING_FORMATS.has(v)) schema.format = v;
    else rest[k] = v;
  }
  return { schema, rest };
}

/** The logical type and options a JSON Schema property reads as; undefined type when it has none ODCS can name. */
export function jsonToLogical(schema: Record<string, unknown>): { logicalType?: LogicalType; options: Record<string, unknown> } {
  const t = Array.isArray(schema.type) ? schema.type.filter((x) => x !== 'null') : [schema.type];
  const json = t.length === 1 ? t[0] : undefined;
  let logicalType: LogicalType | undefined;
  if (json === 'string') {
    const byFormat = (Object.entries(JSON_OF) as Array<[LogicalType, { type: string; format?: string }]>).find(([, j]) => j.type === 'string' && j.format !== undefined && j.format === schema.format);
    logicalType = byFormat ? byFormat[0] : 'string';
  } else if (typeof json === 'string' && isLogicalType(json)) logicalType = json;
  const options: Record<string, unknown> = {};
  if (logicalType) {
    for (const k of OPTION_KEYWORDS[logicalType] ?? []) if (schema[k] !== undefined) options[k] = schema[k];
    if (logicalType === 'string' && typeof schema.format === 'string' && SHARED_STRING_FORMATS.has(schema.format)) options.format = schema.format;
    const width = typeof schema.format === 'string' ? WIDTH_FORMATS[logicalType]?.[schema.format] : undefined;
    if (width) options.format = width;
  }
  return { ...(logicalType ? { logicalType } : {}), options };
}

/** `varchar(18)` -> `varchar`, `DOUBLE PRECISION` -> `double precision`: the base name the physical-type rules compare. */
export function physicalBase(raw: string): string {
  return raw.trim().replace(/\s*\(.*$/s, '').toLowerCase().replace(/\s+/g, ' ');
}

/** The JSON Schema keywords of a property ODCS can say something about, given the logical type it reads as. */
export function odcsExpressible(logicalType: LogicalType | undefined, schema: Record<string, unknown>): Set<string> {
  const keys = new Set(['description', 'required', 'properties', 'items', 'examples']);
  if (logicalType === undefined) return keys;
  keys.add('type');
  for (const k of OPTION_KEYWORDS[logicalType] ?? []) keys.add(k);
  const f = schema.format;
  if (typeof f === 'string' && (JSON_OF[logicalType].format === f || (logicalType === 'string' && SHARED_STRING_FORMATS.has(f)) || WIDTH_FORMATS[logicalType]?.[f])) keys.add('format');
  return keys;
}

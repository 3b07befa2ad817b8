/**
 * A column's physical type (the warehouse's `data_type`, base name only:
 * `bigint`, `varchar`, `timestamp_tz`), kept on the property as
 * `x-physical-type`. Two physical types can map to the same JSON type
 * (`int` and `bigint` are both `integer`), so the JSON Schema alone cannot
 * tell that a consumer's INT column now overflows; this table can.
 *
 * Parameters (varchar(100), numeric(12,2)) are not here: they already live in
 * the schema as maxLength, bounds and multipleOf, and are judged there.
 *
 * A name whose width differs between warehouses is a class of its own
 * (unranked): a change to or from it is PHYSICAL_TYPE_CHANGED, breaking both
 * ways. Conservative on purpose: a verdict we cannot stand behind is worse
 * than a proposal nobody needed.
 */

export const PHYSICAL_TYPE_KEY = 'x-physical-type';

/** [family, rank, names]: within a family a higher rank holds every value of a lower one; equal ranks are synonyms. */
const LATTICE: ReadonlyArray<readonly [string, number, readonly string[]]> = [
  ['int', 1, ['tinyint', 'byteint', 'byte']],
  ['int', 2, ['smallint', 'int2', 'short', 'smallserial', 'serial2', 'int16']],
  ['int', 3, ['mediumint']],
  ['int', 4, ['int', 'integer', 'int4', 'serial', 'serial4', 'int32']],
  ['int', 8, ['bigint', 'int64', 'bigserial', 'serial8']],
  ['int', 16, ['hugeint', 'int128']],
  // int8 is 8 bytes in Postgres and 8 bits in ClickHouse: unranked (absent from the lattice).
  ['uint', 1, ['utinyint']],
  ['uint', 2, ['usmallint']],
  ['uint', 4, ['uinteger']],
  ['uint', 8, ['ubigint']],
  ['uint', 16, ['uhugeint']],
  ['float', 4, ['real', 'float4', 'float32', 'binary_float']],
  ['float', 8, ['double', 'double precision', 'float8', 'float64', 'binary_double']],
  // float is 4 bytes in MySQL and 8 in most others: unranked.
  ['decimal', 1, ['numeric', 'decimal', 'number', 'dec']],
  ['decimal', 2, ['bignumeric', 'bigdecimal']],
  ['varchar', 1, ['varchar', 'character varying', 'nvarchar', 'national character varying', 'varchar2', 'nvarchar2', 'string', 'text', 'clob']],
  ['char', 1, ['char', 'character', 'nchar', 'bpchar']],
  ['boolean', 1, ['boolean', 'bool']],
  ['uuid', 1, ['uuid', 'uniqueidentifier']],
  ['binary', 1, ['binary', 'varbinary', 'bytes', 'bytea', 'blob', 'varbyte', 'long varbinary']],
  // Wall-clock timestamps, instants and session-local ones hold different things: three families.
  // Bare `timestamp` is wall-clock in Postgres and Snowflake but an instant in BigQuery: unranked.
  ['timestamp_ntz', 1, ['timestamp_ntz', 'timestamp without time zone', 'datetime', 'datetime2']],
  ['timestamp_tz', 1, ['timestamp_tz', 'timestamptz', 'timestamp with time zone', 'datetimeoffset']],
  ['timestamp_ltz', 1, ['timestamp_ltz', 'timestamp with local time zone']],
  ['date', 1, ['date']],
];

const PLACE = new Map<string, { family: string; rank: number }>(LATTICE.flatMap(([family, rank, names]) => names.map((n) => [n, { family, rank }] as const)));

export type PhysicalChange = 'PHYSICAL_TYPE_ADDED' | 'PHYSICAL_TYPE_REMOVED' | 'PHYSICAL_TYPE_EQUIVALENT' | 'PHYSICAL_TYPE_WIDENED' | 'PHYSICAL_TYPE_NARROWED' | 'PHYSICAL_TYPE_CHANGED';

const norm = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase().replace(/\s+/g, ' ') : undefined);

/** The rule for an old -> new physical type, or undefined when they are the same name. */
export function physicalChange(oldType: unknown, newType: unknown): PhysicalChange | undefined {
  const a = norm(oldType);
  const b = norm(newType);
  if (a === b) return undefined;
  if (a === undefined) return 'PHYSICAL_TYPE_ADDED';
  if (b === undefined) return 'PHYSICAL_TYPE_REMOVED';
  const pa = PLACE.get(a);
  const pb = PLACE.get(b);
  if (!pa || !pb || pa.family !== pb.family) return 'PHYSICAL_TYPE_CHANGED';
  if (pa.rank === pb.rank) return 'PHYSICAL_TYPE_EQUIVALENT';
  return pb.rank > pa.rank ? 'PHYSICAL_TYPE_WIDENED' : 'PHYSICAL_TYPE_NARROWED';
}

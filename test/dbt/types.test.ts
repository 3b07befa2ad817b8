/** The warehouse type table, one block per row group. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapColumnType, TYPE_TABLE, type TypeGroup } from '../../src/dbt/types.js';

const map = (t: string, adapter?: string) => mapColumnType(t, { adapter }).schema;

describe('mapColumnType', () => {
  it('every name in the table maps without a warning, and names are unique', () => {
    const seen = new Set<string>();
    for (const row of TYPE_TABLE) {
      for (const name of row.names) {
        expect(seen.has(name), name).toBe(false);
        seen.add(name);
        expect(mapColumnType(name).unknown, name).toEqual([]);
        expect(mapColumnType(name.toUpperCase()).schema, name).toEqual(mapColumnType(name).schema);
      }
    }
    const groups: TypeGroup[] = ['string', 'integer', 'decimal', 'float', 'boolean', 'date', 'time', 'timestamp', 'uuid', 'binary', 'any', 'array', 'struct', 'map'];
    expect(TYPE_TABLE.map((r) => r.group)).toEqual(groups);
  });

  it('docs/dbt.md lists every name of the table, in its row', () => {
    const doc = readFileSync(new URL('../../docs/dbt.md', import.meta.url), 'utf8');
    for (const row of TYPE_TABLE) {
      const line = doc.split('\n').find((l) => l.startsWith(`| ${row.group} |`));
      expect(line, row.group).toBeDefined();
      for (const name of row.names) expect(line, name).toContain(`\`${name}\``);
    }
  });

  it('strings: length parameters become maxLength', () => {
    expect(map('varchar(255)')).toEqual({ type: 'string', maxLength: 255 });
    expect(map('character varying(256)')).toEqual({ type: 'string', maxLength: 256 });
    expect(map('STRING(10)')).toEqual({ type: 'string', maxLength: 10 });
    expect(map('  Varchar ( 12 ) ')).toEqual({ type: 'string', maxLength: 12 });
    expect(map('text')).toEqual({ type: 'string' });
    expect(map('string')).toEqual({ type: 'string' });
    expect(map('varchar(max)')).toEqual({ type: 'string' });
    expect(map('char(2)')).toEqual({ type: 'string', maxLength: 2 });
    // Snowflake reports a plain VARCHAR as VARCHAR(16777216): the same contract.
    expect(map('VARCHAR(16777216)', 'snowflake')).toEqual({ type: 'string' });
    expect(map('VARCHAR(16777216)', 'postgres')).toEqual({ type: 'string', maxLength: 16777216 });
  });

  it('integers', () => {
    for (const t of ['int', 'INTEGER', 'bigint', 'smallint', 'tinyint', 'INT64', 'byteint', 'int8', 'hugeint']) {
      expect(map(t), t).toEqual({ type: 'integer' });
    }
  });

  it('decimals keep precision and scale', () => {
    expect(map('NUMBER(38,0)')).toEqual({ type: 'integer' });
    expect(map('numeric(10)')).toEqual({ type: 'integer', exclusiveMinimum: -1e10, exclusiveMaximum: 1e10 });
    expect(map('number(10,2)')).toEqual({ type: 'number', multipleOf: 0.01, exclusiveMinimum: -1e8, exclusiveMaximum: 1e8 });
    expect(map('decimal(38, 9)')).toEqual({ type: 'number', multipleOf: 1e-9 });
    expect(map('numeric(40,20)')).toEqual({ type: 'number' });
    expect(map('numeric')).toEqual({ type: 'number' });
    // Bare NUMBER on Snowflake is NUMBER(38,0).
    expect(map('NUMBER', 'snowflake')).toEqual({ type: 'integer' });
  });

  it('floats', () => {
    for (const t of ['float', 'double', 'DOUBLE PRECISION', 'real', 'float64', 'float(24)']) expect(map(t), t).toEqual({ type: 'number' });
  });

  it('booleans', () => {
    expect(map('boolean')).toEqual({ type: 'boolean' });
    expect(map('BOOL')).toEqual({ type: 'boolean' });
  });

  it('dates, times and timestamps', () => {
    expect(map('date')).toEqual({ type: 'string', format: 'date' });
    expect(map('time')).toEqual({ type: 'string', format: 'time' });
    expect(map('time(6) with time zone')).toEqual({ type: 'string', format: 'time' });
    for (const t of ['timestamp', 'timestamp_ntz', 'TIMESTAMP_TZ(9)', 'timestamp_ltz', 'datetime', 'timestamptz', 'timestamp with time zone', 'timestamp(6) without time zone']) {
      expect(map(t), t).toEqual({ type: 'string', format: 'date-time' });
    }
  });

  it('uuid and binary', () => {
    expect(map('uuid')).toEqual({ type: 'string', format: 'uuid' });
    expect(map('BYTES')).toEqual({ type: 'string', contentEncoding: 'base64' });
  });

  it('semi-structured types accept any value', () => {
    for (const t of ['json', 'jsonb', 'VARIANT', 'object', 'SUPER']) expect(map(t), t).toEqual({});
  });

  it('arrays in every spelling', () => {
    expect(map('array<string>')).toEqual({ type: 'array', items: { type: 'string' } });
    expect(map('int[]')).toEqual({ type: 'array', items: { type: 'integer' } });
    expect(map('varchar(10)[]')).toEqual({ type: 'array', items: { type: 'string', maxLength: 10 } });
    expect(map('ARRAY(VARCHAR)')).toEqual({ type: 'array', items: { type: 'string' } });
    expect(map('INTEGER[3]')).toEqual({ type: 'array', items: { type: 'integer' } });
    expect(map('ARRAY')).toEqual({ type: 'array' });
  });

  it('structs and typed objects get properties; maps get additionalProperties', () => {
    const ab = { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } } };
    expect(map('struct<a:int,b:string>')).toEqual(ab);
    expect(map('STRUCT(a INTEGER, b VARCHAR)')).toEqual(ab);
    expect(map('STRUCT<b STRING, a INT64>')).toEqual(ab);
    expect(map('object(a number(38,0), b varchar)')).toEqual(ab);
    expect(map('struct<a:int not null, b:string>')).toEqual(ab);
    expect(map('array<struct<a:int,b:string>>')).toEqual({ type: 'array', items: ab });
    expect(map('map<string,int>')).toEqual({ type: 'object', additionalProperties: { type: 'integer' } });
    expect(map('MAP(VARCHAR, DOUBLE)')).toEqual({ type: 'object', additionalProperties: { type: 'number' } });
  });

  it('unknown or unparseable types are unconstrained and reported, never guessed', () => {
    expect(mapColumnType('geography')).toEqual({ schema: {}, unknown: ['geography'] });
    expect(mapColumnType('array<geometry>')).toEqual({ schema: { type: 'array', items: {} }, unknown: ['geometry'] });
    expect(mapColumnType('varchar(')).toEqual({ schema: {}, unknown: ['varchar('] });
    expect(mapColumnType('struct<a:int').unknown).toHaveLength(1);
    expect(mapColumnType('a'.repeat(5) + '<'.repeat(100)).schema).toEqual({});
  });

  it('hands out copies: changing a result does not change the next one', () => {
    const first = mapColumnType('array<int>').schema as { items: { type: string } };
    first.items.type = 'mutated';
    expect(map('array<int>')).toEqual({ type: 'array', items: { type: 'integer' } });
  });
});

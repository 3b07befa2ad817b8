/**
 * `tessera export` through the real binary: a contract published as JSON
 * Schema with dbt-style guarantees, written as ODCS (valid against the
 * official v3.1.0 schema), JSON Schema, Avro and a dbt models: block; what a
 * format cannot say is listed on stderr, never dropped silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cleanupTempDirs, refState, writeJson, type Machine } from '../helpers/machines.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { comparableOdcs, officialOdcsValidator, registryWithTeams } from './helpers.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { mapOdcs } from '../../src/core/formats/index.js';

afterAll(cleanupTempDirs);

let root: string;
let registry: string;
let ana: Machine;

const SCHEMA = {
  type: 'object',
  description: 'One row per customer',
  properties: {
    customer_id: { type: 'integer', 'x-physical-type': 'bigint', description: 'The customer' },
    email: { type: 'string', format: 'email', maxLength: 200 },
    tier: { type: 'string', enum: ['free', 'pro'] },
    signed_up_at: { type: 'string', format: 'date-time', 'x-physical-type': 'timestamp_tz' },
    tags: { type: 'array', items: { type: 'string' } },
    score: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
  },
  required: ['customer_id', 'email'],
};

const GUARANTEES = [
  { kind: 'not_null', column: 'customer_id' },
  { kind: 'unique', column: 'customer_id' },
  { kind: 'accepted_values', column: 'tier', values: ['free', 'pro'], severity: 'warn' },
  { kind: 'relationships', column: 'customer_id', to: 'accounts', field: 'id' },
  { kind: 'freshness', field: 'signed_up_at', config: { error_after: { count: 12, period: 'hour' } } },
  { kind: 'dbt_utils.expression_is_true', expression: 'score > 0' },
];

// The vendored copy, which odcs-examples.test.ts proves is the official one; this file runs without ../shared.
const validateOdcs31 = officialOdcsValidator(path.join(PROJECT_ROOT, 'schemas', 'odcs', 'odcs-json-schema-v3.1.0.json'));

beforeAll(async () => {
  ({ root, registry, ana } = await registryWithTeams('tessera-export-', ['crm']));
  const contract = writeJson(root, 'customers.json', { schema: SCHEMA, guarantees: GUARANTEES });
  const r = await ana.run(['publish', 'crm.customers', contract, '--owner', 'crm', '--description', 'Customers']);
  expect(r.exitCode, r.stderr).toBe(0);
});

describe('tessera export', () => {
  it('--format odcs: a valid ODCS v3.1.0 contract with flags, rules, relationships and SLA; the rest listed on stderr', async () => {
    const r = await ana.run(['export', 'crm.customers', '--format', 'odcs']);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = parse(r.stdout);
    expect(validateOdcs31(doc)).toBeUndefined();
    expect(doc).toMatchObject({ apiVersion: 'v3.1.0', kind: 'DataContract', id: 'crm.customers', version: '1.0.0', team: { name: 'crm' } });
    const props = Object.fromEntries((doc.schema[0].properties as Array<{ name: string }>).map((p) => [p.name, p]));
    expect(props.customer_id).toMatchObject({ logicalType: 'integer', physicalType: 'bigint', required: true, unique: true, relationships: [{ type: 'foreignKey', to: 'accounts.id' }], quality: [{ metric: 'nullValues', mustBe: 0 }] });
    expect(props.email).toMatchObject({ logicalType: 'string', logicalTypeOptions: { format: 'email', maxLength: 200 }, required: true });
    expect(props.tier.quality).toEqual([{ metric: 'invalidValues', type: 'library', mustBe: 0, severity: 'warning', arguments: { validValues: ['free', 'pro'] } }]);
    expect(props.signed_up_at).toMatchObject({ logicalType: 'timestamp', physicalType: 'timestamp_tz' });
    expect(doc.slaProperties).toEqual([{ property: 'latency', value: 12, unit: 'h', element: 'customers.signed_up_at' }]);
    const lost = r.stderr.trim().split('\n');
    expect(lost).toEqual([
      'tessera: not expressible in odcs: anyOf (ODCS has no field for it) at /properties/score',
      'tessera: not expressible in odcs: guarantee dbt_utils.expression_is_true: ODCS has no rule for it',
    ]);
    // Read back, it is the same contract to Tessera's judgement: same columns, same guarantee kinds where ODCS has them.
    const back = mapOdcs(doc, 'export.yaml');
    expect(back.objects[0]!.guarantees.map((g) => g.kind).sort()).toEqual(['accepted_values', 'freshness', 'not_null', 'relationships', 'unique']);
    expect(back.objects[0]!.schema.required).toEqual(['customer_id', 'email']);
  });

  it('--format jsonschema: the schema as published; every guarantee listed as not expressible', async () => {
    const r = await ana.run(['export', 'crm.customers@1.0.0', '--format', 'jsonschema']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(SCHEMA);
    expect(r.stderr.trim().split('\n')).toHaveLength(GUARANTEES.length);
    expect(r.stderr).toContain('tessera: not expressible in jsonschema: guarantee unique(customer_id) (JSON Schema has no data-quality guarantees)');
  });

  it('--format avro: a record from the column view, optional fields as null unions', async () => {
    const r = await ana.run(['export', 'crm.customers', '--format', 'avro']);
    expect(r.exitCode, r.stderr).toBe(0);
    const avsc = JSON.parse(r.stdout);
    expect(avsc).toMatchObject({ type: 'record', name: 'customers', namespace: 'crm', doc: 'One row per customer' });
    const fields = Object.fromEntries((avsc.fields as Array<{ name: string; type: unknown }>).map((f) => [f.name, f]));
    expect(fields.customer_id).toEqual({ name: 'customer_id', type: 'long', doc: 'The customer' });
    expect(fields.email).toEqual({ name: 'email', type: 'string' });
    expect(fields.tier).toEqual({ name: 'tier', type: ['null', { type: 'enum', name: 'tier_enum', symbols: ['free', 'pro'] }], default: null });
    expect(fields.signed_up_at).toEqual({ name: 'signed_up_at', type: ['null', { type: 'long', logicalType: 'timestamp-micros' }], default: null });
    expect(fields.tags).toEqual({ name: 'tags', type: ['null', { type: 'array', items: 'string' }], default: null });
    expect(r.stderr).toContain('maxLength (Avro has no maxLength) at /properties/email');
    expect(r.stderr).toContain('format email (Avro has no such logical type) at /properties/email');
    expect(r.stderr).toContain('anyOf (Avro has no anyOf) at /properties/score');
  });

  it('--format dbt-yml: a models: block for an enforced contract, with data_type, constraints and tests', async () => {
    const out = path.join(root, 'customers.yml');
    const r = await ana.run(['export', 'crm.customers', '--format', 'dbt-yml', '-o', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const yml = parse(readFileSync(out, 'utf8'));
    expect(yml.version).toBe(2);
    const model = yml.models[0];
    expect(model).toMatchObject({ name: 'customers', description: 'One row per customer', config: { contract: { enforced: true } } });
    const cols = Object.fromEntries((model.columns as Array<{ name: string }>).map((c) => [c.name, c]));
    expect(cols.customer_id).toEqual({ name: 'customer_id', description: 'The customer', data_type: 'bigint', constraints: [{ type: 'not_null' }], data_tests: ['unique', { relationships: { to: "ref('accounts')", field: 'id' } }] });
    expect(cols.tier).toMatchObject({ data_type: 'varchar', data_tests: [{ accepted_values: { values: ['free', 'pro'], config: { severity: 'warn' } } }] });
    expect(cols.signed_up_at.data_type).toBe('timestamp_tz');
    expect(r.stderr).toContain('column email: no physical type; data_type varchar is a guess');
    expect(r.stderr).toContain('column score: no type; dbt\'s enforced contract needs a data_type');
    expect(r.stderr).toContain('guarantee freshness (no dbt generic test for it here)');
  });

  it('--json: the document and what it could not express, as data', async () => {
    const r = await ana.run(['export', 'crm.customers', '--format', 'jsonschema', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ asset: 'crm.customers', version: '1.0.0', format: 'jsonschema', document: SCHEMA });
    expect(out.not_expressible).toHaveLength(GUARANTEES.length);
  });

  it('refuses an unknown asset, version or format with one line and exit 2, writing nothing', async () => {
    const before = await refState(registry);
    for (const [args, pattern] of [
      [['export', 'crm.nobody', '--format', 'odcs'], /unknown asset 'crm.nobody'/],
      [['export', 'crm.customers@9.9.9', '--format', 'odcs'], /9\.9\.9/],
      [['export', 'crm.customers', '--format', 'parquet'], /argument 'parquet' is invalid/],
      [['export', 'crm.customers'], /--format <format>' not specified/],
    ] as Array<[string[], RegExp]>) {
      const r = await ana.run(args);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
    expect(await refState(registry)).toBe(before);
  });

  it('an ODCS contract round-trips through publish and export, an SLA with it', async () => {
    const odcs = {
      apiVersion: 'v3.0.2', kind: 'DataContract', id: 'c1', version: '0.1.0', status: 'draft',
      schema: [{ name: 'events', physicalType: 'topic', properties: [{ name: 'id', logicalType: 'string', required: true, quality: [{ rule: 'duplicateValues', mustBe: 0 }] }] }],
      slaProperties: [{ property: 'latency', value: 1, unit: 'd' }],
    };
    const file = path.join(root, 'events.odcs.yaml');
    writeFileSync(file, JSON.stringify(odcs));
    expect((await ana.run(['publish', 'crm.events', file, '--owner', 'crm'])).exitCode).toBe(0);
    const r = await ana.run(['export', 'crm.events', '--format', 'odcs']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const doc = parse(r.stdout);
    expect(validateOdcs31(doc)).toBeUndefined();
    expect(doc.schema).toEqual([{ name: 'events', physicalType: 'topic', properties: [{ name: 'id', logicalType: 'string', required: true, quality: [{ metric: 'duplicateValues', mustBe: 0 }] }] }]);
    expect(doc.slaProperties).toEqual(odcs.slaProperties);
    expect(doc).toMatchObject({ id: 'c1', status: 'draft', version: '1.0.0' });
    const show = JSON.parse((await ana.run(['show', 'crm.events', '--json'])).stdout);
    expect(show.asset.kind).toBe('topic');
    expect(show.version.guarantees.map((g: { kind: string }) => g.kind).sort()).toEqual(['freshness', 'unique']);
  });

  it.skipIf(!sharedAvailable('fixtures', 'odcs', 'examples'))('the standard\'s full example round-trips through the registry: publish, then export each object', async () => {
    const file = sharedPath('fixtures', 'odcs', 'examples', 'all--full-example.odcs.yaml');
    const original = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const teamed = await ana.run(['team', 'add', 'my-team', '--member', 'ana@acme.com']);
    expect(teamed.exitCode, teamed.stderr).toBe(0);
    const r = await ana.run(['publish', 'seller', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const name of ['tbl', 'receivers']) {
      const out = await ana.run(['export', `seller.${name}`, '--format', 'odcs']);
      expect(out.exitCode, out.stderr).toBe(0);
      expect(out.stderr).toBe('');
      const doc = parse(out.stdout) as Record<string, unknown>;
      expect(validateOdcs31(doc)).toBeUndefined();
      const expected = { ...original, schema: (original.schema as Array<{ name: string }>).filter((s) => s.name === name) };
      expect(comparableOdcs(doc, true)).toEqual(comparableOdcs(expected, true));
    }
  });
});

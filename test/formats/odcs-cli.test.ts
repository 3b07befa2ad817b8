/**
 * ODCS through the real binary and a real registry: publish shows the
 * mapping first and writes one asset per schema object; a later contract
 * that drops a required property opens a proposal; `check` judges the same
 * way; bad ODCS input is one line, exit 2, and leaves every ref as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, refState, type Machine } from '../helpers/machines.js';
import { aliasBomb, registryWithTeams, type Setup } from './helpers.js';

afterAll(cleanupTempDirs);

let setup: Setup;
let root: string;
let registry: string;
let ana: Machine;
const write = (name: string, value: unknown) => setup.write(name, value);
const expectRefused = (args: string[], pattern: RegExp) => setup.expectRefused(args, pattern);

/** A small contract with every kind of thing Tessera maps: flags, library rules, a relationship, an SLA, team and support. */
function orders(drop: string[] = []): Record<string, unknown> {
  const properties = [
    { name: 'order_id', logicalType: 'integer', physicalType: 'bigint', required: true, primaryKey: true, unique: true, description: 'The order' },
    { name: 'customer_id', logicalType: 'integer', physicalType: 'bigint', required: true, relationships: [{ to: 'customers.id', type: 'foreignKey' }] },
    { name: 'status', logicalType: 'string', physicalType: 'varchar(16)', logicalTypeOptions: { maxLength: 16 }, quality: [{ metric: 'invalidValues', mustBe: 0, arguments: { validValues: ['open', 'shipped'] } }] },
    { name: 'amount', logicalType: 'number', quality: [{ metric: 'nullValues', mustBe: 0, severity: 'warning' }] },
    { name: 'updated_at', logicalType: 'timestamp', physicalType: 'timestamp_tz', required: true },
  ].filter((p) => !drop.includes(p.name));
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'orders-contract',
    version: '1.0.0',
    status: 'active',
    team: { name: 'Sales', members: [{ username: 'ana@acme.com', role: 'owner' }, { username: 'bob' }] },
    support: [{ channel: '#sales-data', tool: 'slack' }, { channel: 'sales-data', tool: 'email', url: 'mailto:sales-data@acme.com' }],
    schema: [{ name: 'orders', physicalType: 'table', description: 'One row per order', properties, quality: [{ metric: 'rowCount', mustBeGreaterThan: 0 }] }],
    slaProperties: [{ property: 'latency', value: 2, unit: 'h', element: 'orders.updated_at' }, { property: 'retention', value: 1, unit: 'y' }],
  };
}

beforeAll(async () => {
  setup = await registryWithTeams('tessera-odcs-', ['sales', 'bi']);
  ({ root, registry, ana } = setup);
});

describe('publish an ODCS contract', () => {
  it('shows the mapping (owner and channels offered) before the result, and publishes one asset', async () => {
    const r = await ana.run(['publish', 'shop.orders', write('orders-v1.odcs.yaml', orders())]);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`ODCS v3.1.0 contract orders-contract (${path.join(root, 'orders-v1.odcs.yaml')}): 1 asset`);
    expect(lines[1]).toBe('  orders -> shop.orders: 5 columns, 7 guarantees');
    expect(r.stdout).toContain('owner offered: sales (from team.name "Sales"), used for new assets');
    expect(r.stdout).toContain('tessera team add sales --member ana@acme.com  (usernames without an email: bob)');
    expect(r.stdout).toContain('tessera channel add sales-data --type slack --team sales  (support/0)');
    expect(r.stdout).toContain('tessera channel add sales-data-email --type email --team sales --to sales-data@acme.com  (support/1)');
    expect(r.stdout).toContain('slaProperties/1 (retention): no Tessera guarantee; kept');
    // The mapping comes first, the verdict after it.
    expect(r.stdout.indexOf('ODCS v3.1.0')).toBeLessThan(r.stdout.indexOf('published (first version)'));
    const show = JSON.parse((await ana.run(['show', 'shop.orders', '--json'])).stdout);
    expect(show.asset).toMatchObject({ owner: 'sales', kind: 'table', description: 'One row per order' });
    const kinds = (show.version.guarantees as Array<{ kind: string; column?: string }>).map((g) => `${g.kind}(${g.column ?? ''})`).sort();
    expect(kinds).toEqual(['accepted_values(status)', 'freshness()', 'not_null(amount)', 'primary_key(order_id)', 'relationships(customer_id)', 'row_count()', 'unique(order_id)']);
    expect(show.version.schema.required).toEqual(['order_id', 'customer_id', 'updated_at']);
    expect(show.version.schema.properties.status).toMatchObject({ type: 'string', maxLength: 16, 'x-physical-type': 'varchar' });
    const freshness = show.version.guarantees.find((g: { kind: string }) => g.kind === 'freshness');
    expect(freshness).toMatchObject({ field: 'updated_at', config: { error_after: { count: 2, period: 'hour' } } });
  });

  it('a contract that drops a required property, published over it, opens a proposal naming the property', async () => {
    expect((await ana.run(['consume', 'shop.orders', '--team', 'bi'])).exitCode).toBe(0);
    const file = write('orders-v2.odcs.yaml', orders(['customer_id']));
    const check = await ana.run(['check', 'shop.orders', file]);
    expect(check.exitCode, check.stderr).toBe(1);
    const before = await refState(registry);
    const r = await ana.run(['publish', 'shop.orders', file, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.mapping.assets).toEqual([{ from: 'orders', asset: 'shop.orders', columns: 4, guarantees: 6 }]);
    expect(out.results).toHaveLength(1);
    expect(out.results[0].action).toBe('proposal.created');
    expect(JSON.stringify(out.results[0].diff)).toContain('/properties/customer_id');
    expect(out.results[0].guarantee_changes.map((g: { guarantee: string }) => g.guarantee)).toContain('relationships(customer_id)');
    expect(await refState(registry)).not.toBe(before);
    expect((await ana.run(['proposals', '--json'])).stdout).toContain('shop.orders');
  });

  it('publishes each schema object as <asset>.<object>, or one with --object', async () => {
    const two = { ...orders(), schema: [...(orders().schema as unknown[]), { name: 'Order Lines', properties: [{ name: 'line_id', logicalType: 'integer', required: true }] }] };
    const file = write('two.odcs.yaml', two);
    const dry = await ana.run(['publish', 'shop2', file, '--dry-run', '--json']);
    expect(dry.exitCode, dry.stderr).toBe(0);
    const out = JSON.parse(dry.stdout);
    expect(out.results.map((x: { asset: string; action: string }) => `${x.asset} ${x.action}`)).toEqual(['shop2.orders contract.published', 'shop2.order-lines contract.published']);
    const one = await ana.run(['publish', 'shop3', file, '--object', 'Order Lines']);
    expect(one.exitCode, one.stderr).toBe(0);
    expect(one.stdout).toContain('Order Lines -> shop3: 1 columns, 0 guarantees');
    expect((await ana.run(['show', 'shop3', '--json'])).exitCode).toBe(0);
    expect((await ana.run(['show', 'shop2.orders'])).exitCode).toBe(2);
  });

  it('publish --help shows an example per format', async () => {
    const r = await ana.run(['publish', '--help']);
    expect(r.stdout).toMatch(/\$ tessera publish \S+ contract\.odcs\.yaml/);
    expect(r.stdout).toMatch(/\$ tessera publish --from-openapi openapi\.yaml/);
  });
});

describe('bad ODCS input: one line, exit 2, nothing written', () => {
  it('refuses an ODCS document of the wrong apiVersion', async () => {
    await expectRefused(['publish', 'bad.a', write('v2.odcs.yaml', { ...orders(), apiVersion: 'v2.2.2' })], /apiVersion "v2\.2\.2", which Tessera does not read.*v3\.0\.0, v3\.0\.1, v3\.0\.2, v3\.1\.0/);
    await expectRefused(['check', 'bad.a', write('v4.odcs.yaml', { ...orders(), apiVersion: 'v4.0.0' })], /apiVersion "v4\.0\.0"/);
  });

  it('refuses a document the official schema rejects, naming the failing path', async () => {
    const { status: _s, ...noStatus } = orders();
    await expectRefused(['publish', 'bad.b', write('nostatus.odcs.yaml', noStatus)], /is not a valid ODCS v3\.1\.0 document: \(root\) must have required property 'status'/);
    const typo = orders();
    (typo.schema as Array<{ properties: Array<Record<string, unknown>> }>)[0]!.properties[0]!.logicalType = 'bigint';
    await expectRefused(['publish', 'bad.b', write('typo.odcs.yaml', typo)], /\/schema\/0\/properties\/0\/logicalType must be one of "string", "date"/);
  });

  it('refuses a YAML alias bomb', async () => {
    const bomb = aliasBomb(['apiVersion: v3.1.0', 'kind: DataContract', 'id: x', 'version: 1.0.0', 'status: active'], ['schema: []']);
    await expectRefused(['publish', 'bad.c', write('bomb.odcs.yaml', bomb)], /expands too many YAML aliases \(limit 100\); this looks like a "billion laughs" document/);
  });

  it('diff reads an ODCS contract of one object, and refuses one of several rather than pick one', async () => {
    const r = await ana.run(['diff', write('d1.odcs.yaml', orders()), write('d2.odcs.yaml', orders(['customer_id']))]);
    expect(r.stdout).toMatch(/PROPERTY_REMOVED\S*\s+\/properties\/customer_id/);
    const two = { ...orders(), schema: [...(orders().schema as unknown[]), { name: 'lines', properties: [] }] };
    await expectRefused(['diff', write('d3.odcs.yaml', two), write('d4.odcs.yaml', orders())], /is an ODCS contract of 2 schema objects \(orders, lines\), and this compares one/);
  });

  it('refuses an unknown --object, a contract without schema objects, and --object on a JSON Schema', async () => {
    await expectRefused(['publish', 'bad.d', write('ok.odcs.yaml', orders()), '--object', 'nope'], /has no schema object named "nope" \(use --object with one of: orders\)/);
    await expectRefused(['publish', 'bad.d', write('empty.odcs.yaml', { ...orders(), schema: [] })], /without schema objects/);
    await expectRefused(['publish', 'bad.d', write('plain.json', JSON.stringify({ type: 'object' })), '--object', 'x'], /--object is for ODCS contracts/);
  });
});

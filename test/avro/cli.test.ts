/**
 * Avro contracts through the real binary: publish, check, diff and show on a
 * real registry, and every bad Avro input refused with one line, exit 2 and
 * the registry unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cleanupTempDirs, gitIn, machine, refState, tempDir, writeJson, USERS_V1, type Machine } from '../helpers/machines.js';
import { MAX_SCHEMA_BYTES } from '../../src/core/schema/limits.js';
import { tessera } from '../helpers/cli.js';

afterAll(cleanupTempDirs);

const order = (fields: unknown[]) => ({ type: 'record', name: 'Order', namespace: 'shop', doc: 'one order', fields });
const V1 = order([
  { name: 'id', type: 'long' },
  { name: 'qty', type: 'int' },
  { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['OPEN', 'CLOSED'] } },
  { name: 'placed_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
  { name: 'coupon', type: ['null', 'string'], default: null },
]);
const V2_COMPATIBLE = order([...V1.fields, { name: 'channel', type: 'string', default: 'web' }]);
const V3_BREAKING = order([...V1.fields, { name: 'channel', type: 'string', default: 'web' }, { name: 'store', type: 'string' }]);

let root: string;
let registry: string;
let ana: Machine;
let bob: Machine;
const file = (name: string, value: unknown) => writeJson(root, name, value);

beforeAll(async () => {
  root = tempDir();
  registry = path.join(root, 'registry.git');
  ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: registry });
  bob = machine(root, 'bob', 'bob@acme.com', { TESSERA_REGISTRY: registry });
  expect((await ana.run(['init', registry])).exitCode).toBe(0);
  expect((await ana.run(['team', 'add', 'checkout', '--member', 'ana@acme.com'])).exitCode).toBe(0);
  expect((await ana.run(['team', 'add', 'finance', '--member', 'bob@acme.com'])).exitCode).toBe(0);
});

async function versionFile(asset: string, version: string): Promise<Record<string, unknown>> {
  return parse(await gitIn(registry, ['show', `main:assets/${asset}/versions/${version}.yaml`])) as Record<string, unknown>;
}

describe('publishing an Avro contract', () => {
  it('stores the Avro schema as given beside its column view', async () => {
    const r = await ana.run(['publish', 'shop.orders', file('order-v1.avsc', V1), '--owner', 'checkout', '--kind', 'topic', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const v = await versionFile('shop.orders', '1.0.0');
    expect(v.format).toBe('avro');
    expect(v.avro).toEqual(V1);
    expect(v.compatibility_mode).toBe('backward');
    const view = v.schema as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(Object.keys(view.properties)).toEqual(['id', 'qty', 'status', 'placed_at', 'coupon']);
    expect(view.properties.qty).toEqual({ type: 'integer', 'x-physical-type': 'int' });
    expect(view.properties.status).toEqual({ type: 'string', enum: ['OPEN', 'CLOSED'] });
    expect(view.properties.placed_at).toMatchObject({ type: 'string', format: 'date-time', 'x-physical-type': 'timestamptz' });
    expect(view.properties.coupon).toEqual({ type: ['string', 'null'], 'x-physical-type': 'text', default: null });
    expect(view.required).toEqual(['id', 'qty', 'status', 'placed_at', 'coupon']);
  });

  it('show lists the record fields as columns', async () => {
    const r = await ana.run(['show', 'shop.orders', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('placed_at');
    expect(r.stdout).toContain('coupon');
  });

  it('a field added with a default publishes as a minor version, judged by the Avro rules', async () => {
    const r = await ana.run(['publish', 'shop.orders', file('order-v2.avsc', V2_COMPATIBLE), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const v = await versionFile('shop.orders', '1.1.0');
    expect(v.changes).toEqual([{ rule: 'avro.field-added-with-default', path: '/fields/channel', message: expect.stringContaining('channel') as unknown, breaking: false }]);
  });

  it('check: a field added without a default breaks backward, exit 1, naming the rule', async () => {
    const before = await refState(registry);
    const r = await ana.run(['check', 'shop.orders', file('order-v3.avsc', V3_BREAKING)]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/avro\.field-added-without-default\s+\/fields\/store/);
    expect(await refState(registry)).toBe(before);
  });

  it('a breaking change with a consumer opens a proposal naming the rule', async () => {
    expect((await bob.run(['consume', 'shop.orders', '--team', 'finance'])).exitCode).toBe(0);
    const r = await ana.run(['publish', 'shop.orders', file('order-v3.avsc', V3_BREAKING), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { action: string; version: string; proposal?: { required_teams: string[] } };
    expect(out.action).toBe('proposal.created');
    expect(out.version).toBe('2.0.0');
    expect(out.proposal).toMatchObject({ required_teams: ['finance'] });
    expect(r.stdout).toContain('avro.field-added-without-default');
  });

  it('diff compares a published Avro version with a file, as Avro', async () => {
    const r = await ana.run(['diff', 'shop.orders@1.0.0', file('order-v3b.avsc', V3_BREAKING), '--mode', 'forward', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { compatible: boolean; changes: Array<{ rule: string; category: string }> };
    expect(out.compatible).toBe(true);
    expect(out.changes.map((c) => c.rule).sort()).toEqual(['avro.field-added-with-default', 'avro.field-added-without-default']);
    expect(out.changes[0]!.category).toBe('field');
  });

  it('diff reads Avro JSON from stdin', async () => {
    const r = await ana.run(['diff', file('a.avsc', V1), '-', '--mode', 'backward'], JSON.stringify(V3_BREAKING));
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('avro.field-added-without-default');
    expect(r.stdout).toMatch(/\nbreaking under backward \(Avro resolution rules\): 1 breaking change/);
  });

  it('an Avro schema over a JSON Schema asset is refused: one line, exit 2, nothing written', async () => {
    expect((await ana.run(['publish', 'analytics.users', writeJson(root, 'users.json', USERS_V1), '--owner', 'checkout'])).exitCode).toBe(0);
    const before = await refState(registry);
    const r = await ana.run(['publish', 'analytics.users', file('users.avsc', V1)]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/analytics\.users' 1\.0\.0 is a JSON Schema contract; an Avro schema cannot be judged against it/);
    expect(await refState(registry)).toBe(before);
  });

  it('verify judges Avro versions by the Avro rules (a rename through an alias went live directly, with a consumer)', async () => {
    expect((await ana.run(['publish', 'shop.refunds', file('refund-v1.avsc', V1), '--owner', 'checkout', '--kind', 'topic'])).exitCode).toBe(0);
    expect((await bob.run(['consume', 'shop.refunds', '--team', 'finance'])).exitCode).toBe(0);
    const renamed = order(V1.fields.map((f) => (f.name === 'qty' ? { name: 'quantity', type: 'int', aliases: ['qty'] } : f)));
    const r = await ana.run(['publish', 'shop.refunds', file('refund-v2.avsc', renamed), '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ action: 'contract.published', version: '1.1.0' });
    // In its column view a closed table loses the column qty, which the JSON Schema rules call breaking.
    const v = await ana.run(['verify', '--json']);
    expect(v.exitCode, v.stdout + v.stderr).toBe(0);
  });

  it('a contract document with format: avro carries guarantees and a mode', async () => {
    const doc = path.join(root, 'payments.contract.yaml');
    writeFileSync(doc, ['format: avro', 'compatibility_mode: full', `avro: ${JSON.stringify(V1)}`, 'guarantees:', '  - {kind: not_null, column: id}', '  - {kind: unique, column: id}'].join('\n'));
    const r = await ana.run(['publish', 'shop.payments', doc, '--owner', 'checkout']);
    expect(r.exitCode, r.stderr).toBe(0);
    const v = await versionFile('shop.payments', '1.0.0');
    expect(v).toMatchObject({ format: 'avro', avro: V1, compatibility_mode: 'full', guarantees: [{ kind: 'not_null', column: 'id' }, { kind: 'unique', column: 'id' }] });
  });

  it('the same Avro schema again changes nothing; a JSON Schema over an Avro asset is refused', async () => {
    const before = await refState(registry);
    const same = await ana.run(['publish', 'shop.payments', path.join(root, 'payments.contract.yaml'), '--json']);
    expect(same.exitCode, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ action: 'unchanged' });
    const json = await ana.run(['check', 'shop.payments', writeJson(root, 'payments.json', USERS_V1)]);
    expect(json.exitCode).toBe(2);
    expect(json.stderr.trim().split('\n'), json.stderr).toHaveLength(1);
    expect(json.stderr).toContain("tessera: asset 'shop.payments' is an Avro contract: its versions are judged by Avro's resolution rules (publish an Avro schema (.avsc) for it)");
    expect(await refState(registry)).toBe(before);
  });

  it('diff refuses to compare Avro with JSON Schema', async () => {
    const r = await ana.run(['diff', file('b.avsc', V1), writeJson(root, 'u.json', USERS_V1)]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/cannot compare an Avro schema \(.*b\.avsc\) with a JSON Schema/);
  });
});

describe('bad Avro input: one line, exit 2, registry unchanged', () => {
  async function refused(name: string, text: string, pattern: RegExp): Promise<void> {
    const p = path.join(root, name);
    writeFileSync(p, text);
    const before = await refState(registry);
    for (const args of [['publish', 'shop.bad', p, '--owner', 'checkout'], ['check', 'shop.orders', p], ['diff', p, p]]) {
      const r = await ana.run(args);
      expect(r.exitCode, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await refState(registry)).toBe(before);
  }

  it('an unknown type name is named', async () => {
    await refused('unknown.avsc', JSON.stringify(order([{ name: 'id', type: 'long' }, { name: 'payer', type: 'Customer' }])), /unknown\.avsc: names an unknown Avro type "shop\.Customer" \(define a named type before its first use/);
  });

  it('an invalid default', async () => {
    await refused('default.avsc', JSON.stringify(order([{ name: 'qty', type: 'int', default: 'many' }])), /default\.avsc: is not a valid Avro schema: .*incompatible field default/);
  });

  it('a top level that is not a record', async () => {
    await refused('enum.avsc', JSON.stringify({ type: 'enum', name: 'Status', symbols: ['A'] }), /enum\.avsc: is an Avro enum Status, not a record/);
  });

  it('a .avsc that is not JSON or YAML', async () => {
    await refused('broken.avsc', '{"type": "record", "name": ', /broken\.avsc: invalid JSON at line 1/);
  });

  it('a YAML alias bomb', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`), 'type: record', 'name: Bomb', 'fields: []'].join('\n');
    await refused('bomb.avsc', bomb, /bomb\.avsc: expands too many YAML aliases/);
  });

  it('nesting deeper than the limit', async () => {
    let t: unknown = 'int';
    for (let i = 0; i < 70; i++) t = { type: 'array', items: t };
    await refused('deep.avsc', JSON.stringify(order([{ name: 'x', type: t }])), /deep\.avsc: nests deeper than 64 levels/);
  });

  it('a file over the size limit', async () => {
    const symbols = Array.from({ length: Math.ceil(MAX_SCHEMA_BYTES / 6) }, (_, i) => `S${i}`);
    await refused('huge.avsc', JSON.stringify(order([{ name: 's', type: { type: 'enum', name: 'E', symbols } }])), /huge\.avsc: is \d+\.\d MB, over the 5\.0 MB limit/);
  });
});

describe('tessera rules --avro and tessera explain avro.*', () => {
  it('lists every Avro rule with its verdict per mode', async () => {
    const r = await tessera(['rules', '--avro']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +CATEGORY +BACKWARD +FORWARD +FULL +CONSUMER +MEANING$/);
    expect(r.stdout).toMatch(/\navro\.field-added-without-default +field +breaking +compatible +breaking +compatible +a field/);
    expect(r.stdout).toMatch(/\navro\.enum-symbol-added-without-default +enum +compatible +breaking +breaking +breaking +/);
    expect(lines.at(-1)).toMatch(/^26 Avro rules/);
    const plain = await tessera(['rules']);
    expect(plain.stdout.trimEnd().split('\n').at(-1)).toContain('tessera rules --avro lists the Avro rules');
  });

  it('--json: versioned, with examples and verdicts', async () => {
    const r = await tessera(['rules', '--avro', '--json']);
    const out = JSON.parse(r.stdout) as { schema_version: string; count: number; rules: Array<{ id: string; format: string; verdicts?: Record<string, string>; example?: unknown }> };
    expect(out.schema_version).toBe('tessera.avro-rules/v1');
    expect(out.count).toBe(out.rules.length);
    expect(out.rules.find((x) => x.id === 'avro.type-demoted')).toMatchObject({ format: 'avro', verdicts: { backward: 'breaking', forward: 'compatible', full: 'breaking', consumer: 'compatible' } });
  });

  it('explains one Avro rule, as typed in any case, with _ for -', async () => {
    const r = await tessera(['explain', 'AVRO.UNION_BRANCH_REMOVED']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^avro\.union-branch-removed {2}\(union, Avro\)\n/);
    expect(r.stdout).toContain('backward:  breaking (the new schema reads data written with the old one)');
    expect(r.stdout).toMatch(/\n {2}old: \{.*\}\n {2}new: \{.*\}/);
    const j = JSON.parse((await tessera(['explain', 'avro.union-branch-removed', '--json'])).stdout) as { schema_version: string; rule: { id: string } };
    expect(j).toMatchObject({ schema_version: 'tessera.avro-rule/v1', rule: { id: 'avro.union-branch-removed' } });
  });

  it('an unknown Avro rule: exit 2, one line with a suggestion', async () => {
    const r = await tessera(['explain', 'avro.union-branch-remved']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("tessera: unknown rule 'avro.union-branch-remved' (did you mean avro.union-branch-removed? run tessera rules --avro to list the Avro rules)");
  });
});

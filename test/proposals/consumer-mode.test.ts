/**
 * Issue 12, "what it must show" 2: a consumed table asset judged as its
 * consumers read it (old queries over new rows, columns selected by name),
 * with no --mode anywhere: the default for tables is `consumer`.
 * End to end with the real binary and a real registry; `check` writes nothing,
 * so every case runs against the same 1.0.0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, machine, tempDir, writeJson, type Machine } from '../helpers/machines.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { freshRegistry, runJson } from '../sync/helpers.js';

afterAll(cleanupTempDirs);

type Props = Record<string, Record<string, unknown>>;
const BASE: Props = {
  user_id: { type: 'integer' },
  email: { type: 'string', maxLength: 100 },
  nickname: { type: 'string' },
  status: { type: 'string', enum: ['active', 'closed', 'pending'] },
  score: { type: 'integer' },
  balance: { type: 'number' },
};
const table = (props: Props, required: string[]) => ({ type: 'object', properties: props, required });
const V1 = table(BASE, ['user_id', 'email']);

const without = (name: string): Props => Object.fromEntries(Object.entries(BASE).filter(([k]) => k !== name));
const withColumn = (name: string, schema: Record<string, unknown>): Props => ({ ...BASE, [name]: schema });

/** [case, new schema, expected exit code, a rule the report must name]. */
const CASES: Array<[string, object, 0 | 1, string]> = [
  ['adding an optional column', table(withColumn('country', { type: 'string' }), ['user_id', 'email']), 0, 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL'],
  ['making a column not null', table(BASE, ['user_id', 'email', 'nickname']), 0, 'REQUIRED_ATTRIBUTE_ADDED'],
  ['narrowing a varchar', table(withColumn('email', { type: 'string', maxLength: 50 }), ['user_id', 'email']), 0, 'MAX_LENGTH_DECREASED'],
  ['removing an accepted value', table(withColumn('status', { type: 'string', enum: ['active', 'closed'] }), ['user_id', 'email']), 0, 'ENUM_ARRAY_NARROWED'],
  ['number -> integer', table(withColumn('balance', { type: 'integer' }), ['user_id', 'email']), 0, 'TYPE_NARROWED'],
  ['dropping an optional column', table(without('nickname'), ['user_id', 'email']), 1, 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL'],
  ['dropping a required column', table(without('email'), ['user_id']), 1, 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL'],
  ['making a column nullable', table(BASE, ['user_id']), 1, 'REQUIRED_ATTRIBUTE_REMOVED'],
  ['widening a varchar', table(withColumn('email', { type: 'string', maxLength: 4000 }), ['user_id', 'email']), 1, 'MAX_LENGTH_INCREASED'],
  ['adding an accepted value', table(withColumn('status', { type: 'string', enum: ['active', 'closed', 'pending', 'banned'] }), ['user_id', 'email']), 1, 'ENUM_ARRAY_EXTENDED'],
  ['integer -> number', table(withColumn('score', { type: 'number' }), ['user_id', 'email']), 1, 'TYPE_EXTENDED'],
];

describe('a consumed table, judged with no --mode (consumer is the table default)', () => {
  let root: string;
  let pat: Machine;

  beforeAll(async () => {
    root = tempDir();
    const registry = path.join(root, 'registry.git');
    const env = { TESSERA_REGISTRY: registry };
    pat = machine(root, 'pat', 'pat@acme.com', env);
    const bea = machine(root, 'bea', 'bea@acme.com', env);
    expect((await pat.run(['init', registry])).exitCode).toBe(0);
    await runJson(pat, ['team', 'add', 'core', '--member', 'pat@acme.com']);
    await runJson(bea, ['team', 'add', 'growth', '--member', 'bea@acme.com']);
    await runJson(pat, ['publish', 'users', writeJson(root, 'v1.json', V1), '--owner', 'core']);
    await runJson(bea, ['consume', 'users', '--team', 'growth']);
  });

  it('records the mode it judged under: consumer', async () => {
    const shown = await runJson(pat, ['show', 'users']);
    expect(JSON.stringify(shown)).toContain('"compatibility_mode":"consumer"');
  });

  it.each(CASES)('%s: exit %i', async (name, schema, code, rule) => {
    const file = writeJson(root, `${name.replace(/\W+/g, '-')}.json`, schema);
    const r = await pat.run(['check', 'users', file, '--json']);
    expect(r.exitCode, `${name}: ${r.stderr}`).toBe(code);
    const out = JSON.parse(r.stdout);
    expect(out.diff.mode).toBe('consumer');
    const changes = out.diff.changes as Array<{ rule: string; breaking: boolean }>;
    expect(changes.map((c) => c.rule), name).toContain(rule);
    expect(changes.some((c) => c.breaking)).toBe(code === 1);
  });

  it('the original backward example keeps its meaning: asked for backward, removing email breaks', async () => {
    const r = await pat.run(['check', 'users', writeJson(root, 'bw.json', table(without('email'), ['user_id'])), '--mode', 'backward', '--json']);
    expect(r.exitCode).toBe(1);
  });
});

const JAFFLE = 'jaffle-shop-v4';
const jaffleAvailable = sharedAvailable('fixtures', 'dbt', JAFFLE, 'manifest.json');

describe.skipIf(!jaffleAvailable)('sync-dbt on a mutated real manifest (jaffle-shop v4), consumed model, default settings', () => {
  const NOT_NULL_AMOUNT = 'test.jaffle_shop.not_null_orders_amount.106140f9fd';
  let root: string;
  let manifest: Record<string, any>;

  const write = (name: string, m: object): string => {
    const f = path.join(root, name);
    writeFileSync(f, JSON.stringify(m));
    return f;
  };

  beforeAll(() => {
    root = tempDir();
    manifest = JSON.parse(readFileSync(sharedPath('fixtures', 'dbt', JAFFLE, 'manifest.json'), 'utf8'));
  });

  async function consumedRegistry(name: string): Promise<{ ci: Machine; asset: string }> {
    const { ci } = await freshRegistry(root, name);
    await runJson(ci, ['sync-dbt', write(`${name}-base.json`, manifest), '--owner-default', 'data-platform', '--fail-on', 'never']);
    const list = await runJson(ci, ['list']);
    const asset = (list.assets as Array<{ id: string }>).map((a) => a.id).find((id) => id.endsWith('orders') && !id.includes('stg'));
    expect(asset, JSON.stringify(list.assets.map((a: { id: string }) => a.id))).toBeDefined();
    await runJson(ci, ['team', 'add', 'finance', '--member', 'ci-bot@acme.com']);
    await runJson(ci, ['consume', asset!, '--team', 'finance']);
    return { ci, asset: asset! };
  }

  it('removing a not_null test exits 1 and opens a proposal: consumers may now see NULLs', async () => {
    const { ci, asset } = await consumedRegistry('removed.git');
    const mutated = structuredClone(manifest);
    delete mutated.nodes[NOT_NULL_AMOUNT];
    const r = await ci.run(['sync-dbt', write('removed.json', mutated), '--json']);
    expect(r.exitCode, r.stderr).toBe(1);
    const proposals = await runJson(ci, ['proposals']);
    const mine = (proposals.proposals as Array<{ asset: string; changes?: Array<{ rule: string }> }>).filter((p) => p.asset === asset);
    expect(mine).toHaveLength(1);
    expect(r.stdout).toContain('REQUIRED_ATTRIBUTE_REMOVED');
  });

  it('adding a not_null test exits 0 and publishes at once: a tighter promise breaks no reader', async () => {
    const { ci, asset } = await consumedRegistry('added.git');
    const mutated = structuredClone(manifest);
    const extra = structuredClone(mutated.nodes[NOT_NULL_AMOUNT]);
    const id = 'test.jaffle_shop.not_null_orders_status.0000000000';
    Object.assign(extra, { unique_id: id, name: 'not_null_orders_status', column_name: 'status', alias: 'not_null_orders_status' });
    extra.test_metadata.kwargs.column_name = 'status';
    mutated.nodes[id] = extra;
    const before = (await runJson(ci, ['show', asset])).asset.current_version as string;
    const r = await ci.run(['sync-dbt', write('added.json', mutated), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const after = (await runJson(ci, ['show', asset])).asset.current_version as string;
    expect(after).not.toBe(before);
    expect((await runJson(ci, ['proposals'])).proposals).toHaveLength(0);
  });
});

describe('sync-dbt: a data_type change that keeps the JSON type (demo project, consumed model)', () => {
  const DEMO = path.join(path.dirname(new URL(import.meta.url).pathname), '../../fixtures/dbt-demo/manifest.json');
  let root: string;
  let manifest: Record<string, any>;
  beforeAll(() => {
    root = tempDir();
    manifest = JSON.parse(readFileSync(DEMO, 'utf8'));
  });

  async function run(name: string, dataType: string): Promise<{ code: number; stdout: string }> {
    const { ci } = await freshRegistry(root, `${name}.git`);
    const base = path.join(root, `${name}-base.json`);
    writeFileSync(base, JSON.stringify(manifest));
    await runJson(ci, ['sync-dbt', base, '--owner-default', 'data-platform', '--fail-on', 'never']);
    const asset = ((await runJson(ci, ['list'])).assets as Array<{ id: string }>).map((a) => a.id).find((id) => id.endsWith('payments') && !id.includes('stg'))!;
    await runJson(ci, ['team', 'add', 'audit', '--member', 'ci-bot@acme.com']);
    await runJson(ci, ['consume', asset, '--team', 'audit']);
    const mutated = structuredClone(manifest);
    mutated.nodes['model.shop.payments'].columns.payment_id.data_type = dataType;
    const f = path.join(root, `${name}.json`);
    writeFileSync(f, JSON.stringify(mutated));
    const r = await ci.run(['sync-dbt', f, '--json']);
    return { code: r.exitCode ?? -1, stdout: r.stdout };
  }

  it('integer -> bigint is a widening consumers feel: exit 1, PHYSICAL_TYPE_WIDENED', async () => {
    const r = await run('widen', 'bigint');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('PHYSICAL_TYPE_WIDENED');
  });

  it('integer -> smallint narrows: published, exit 0', async () => {
    const r = await run('narrow', 'smallint');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PHYSICAL_TYPE_NARROWED');
  });
});

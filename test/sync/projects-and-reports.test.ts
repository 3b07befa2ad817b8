/**
 * sync-dbt, end to end with the real binary: assets remember the dbt project
 * that synced them and a package removed or disabled retires its assets
 * within that project only; dry runs create nothing on a fresh machine; a
 * BOM is not damage; --owner-default creates its team only with an asset it
 * owns; rename hints and guarantee-only changes show in every format.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, tempDir, writeJson, type Machine } from '../helpers/machines.js';
import { tessera } from '../helpers/cli.js';
import { DEMO_DIR, demoJson } from '../dbt/helpers.js';
import { freshRegistry, runJson } from './helpers.js';

afterAll(cleanupTempDirs);

const UID = 'model.shop.customers';
const CUSTOMERS = 'analytics.marts.customers';
const PKG_NODES = ['model.shop.stg_payments', 'model.shop.payments', 'seed.shop.payment_methods'];

function demo(): any {
  return demoJson('manifest.json');
}

async function syncJson(m: Machine, args: string[], code?: number): Promise<any> {
  const r = await m.run(['sync-dbt', ...args, '--json']);
  if (code !== undefined) expect(r.exitCode, r.stderr + r.stdout.slice(0, 2000)).toBe(code);
  else expect([0, 1], r.stderr).toContain(r.exitCode);
  return JSON.parse(r.stdout);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [path.join(dir, e.name) + '/', ...walk(path.join(dir, e.name))] : [path.join(dir, e.name)]));
}

describe('sync-dbt: retirement within the dbt project that synced an asset', () => {
  it('a disabled package retires its assets; the same relations of another project in the registry stay untouched', async () => {
    const root = tempDir('tessera-sync-projects-');
    const { ci } = await freshRegistry(root);
    // The payment models come from a package of the shop project (as fivetran's do).
    const shop = demo();
    for (const uid of PKG_NODES) shop.nodes[uid].package_name = 'payments_pkg';
    const shopFile = writeJson(root, 'shop.json', shop);
    // Another project, same package name "shop", its own warehouse.
    const other = demo();
    other.metadata.project_name = 'other';
    for (const n of [...Object.values(other.nodes), ...Object.values(other.sources)] as any[]) if (n.database) n.database = 'warehouse2';
    const otherFile = writeJson(root, 'other.json', other);
    const created = await syncJson(ci, [shopFile], 0);
    const createdOther = await syncJson(ci, [otherFile], 0);
    expect(createdOther.counts.created).toBe(created.counts.created);
    const payments = created.items.filter((i: any) => i.asset.includes('payment')).map((i: any) => i.asset).sort();
    expect(payments).toHaveLength(3);
    expect((await runJson(ci, ['show', payments[0]])).asset.origin).toEqual({ system: 'dbt', unique_id: expect.any(String), package: 'payments_pkg', project: 'shop' });
    expect((await runJson(ci, ['show', createdOther.items[0].asset])).asset.origin.project).toBe('other');

    // payments_enabled: false moves the package's models into `disabled`.
    const disabled = demo();
    disabled.disabled = {};
    for (const uid of PKG_NODES) {
      disabled.disabled[uid] = [{ ...disabled.nodes[uid], package_name: 'payments_pkg', config: { ...disabled.nodes[uid].config, enabled: false } }];
      delete disabled.nodes[uid];
    }
    const disabledFile = writeJson(root, 'shop-disabled.json', disabled);
    const out = await syncJson(ci, [disabledFile]);
    const retiring = out.items.filter((i: any) => i.action === 'retired' || i.action === 'retire-proposed').map((i: any) => i.asset).sort();
    expect(retiring).toEqual(payments);
    expect(out.findings.filter((f: any) => f.rule === 'ASSET_RETIRED').map((f: any) => f.asset).sort()).toEqual(payments);
    // Nothing of the other project is touched, though its package is "shop" too.
    expect(out.items.filter((i: any) => i.asset.startsWith('warehouse2.'))).toEqual([]);
    for (const i of createdOther.items) expect((await runJson(ci, ['show', i.asset])).asset.retired).toBeUndefined();
    // And the other project's own sync retires nothing of shop's.
    expect((await syncJson(ci, [otherFile], 0)).changed).toBe(false);
  });

  it('a package dropped from packages.yml retires its assets too', async () => {
    const root = tempDir('tessera-sync-packages-');
    const { ci } = await freshRegistry(root);
    const shop = demo();
    for (const uid of PKG_NODES) shop.nodes[uid].package_name = 'payments_pkg';
    await syncJson(ci, [writeJson(root, 'shop.json', shop)], 0);
    const gone = demo();
    for (const uid of PKG_NODES) delete gone.nodes[uid];
    const out = await syncJson(ci, [writeJson(root, 'gone.json', gone)]);
    expect(out.items.filter((i: any) => i.action === 'retired' || i.action === 'retire-proposed')).toHaveLength(3);
  });
});

describe('sync-dbt --dry-run on a fresh machine', () => {
  it('creates nothing under HOME (no default registry, no caches) and reports the plan', async () => {
    const home = tempDir('tessera-fresh-home-');
    const env = { HOME: home, XDG_CACHE_HOME: undefined, TESSERA_HOME: undefined, TESSERA_REGISTRY: undefined, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_EMAIL: undefined, GIT_COMMITTER_EMAIL: undefined };
    const r = await tessera(['sync-dbt', path.join(DEMO_DIR, 'manifest.json'), '--dry-run', '--json'], { env, cwd: home });
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dry_run).toBe(true);
    expect(out.counts.created).toBeGreaterThan(5);
    expect(r.stderr).toMatch(/nothing is created/);
    expect(walk(home)).toEqual([]);
    // The real run creates the default registry and opens what the dry run said.
    const real = await tessera(['sync-dbt', path.join(DEMO_DIR, 'manifest.json'), '--json'], { env, cwd: home });
    expect(real.exitCode, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout).counts).toEqual(out.counts);
    expect(walk(home).some((f) => f.endsWith(path.join('.tessera', 'registry') + '/'))).toBe(true);
  });
});

describe('sync-dbt reports', () => {
  it('reads a manifest that starts with a UTF-8 BOM like the same manifest without it', async () => {
    const root = tempDir('tessera-sync-bom-');
    const { ci } = await freshRegistry(root);
    const file = path.join(root, 'bom.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(path.join(DEMO_DIR, 'manifest.json'))]));
    const plain = await syncJson(ci, [path.join(DEMO_DIR, 'manifest.json'), '--dry-run'], 0);
    const bom = await syncJson(ci, [file, '--dry-run'], 0);
    expect({ ...bom, file: undefined, summary: undefined }).toEqual({ ...plain, file: undefined, summary: undefined });
    expect((await syncJson(ci, [file], 0)).counts.created).toBe(plain.counts.created);
    // record-results reads both artifacts the same way.
    const results = path.join(root, 'run_results-bom.json');
    writeFileSync(results, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(path.join(DEMO_DIR, 'run_results.json'))]));
    const rec = await ci.run(['record-results', results, '--manifest', file, '--json']);
    expect(rec.exitCode, rec.stderr).toBe(0);
    expect(rec.stderr).not.toMatch(/truncated/);
  });

  it('--owner-default creates its team only when an asset it owns is written', async () => {
    const root = tempDir('tessera-sync-owner-default-');
    const { ci } = await freshRegistry(root);
    // A seed: nothing it depends on, so no cross-owner consumer registration names the default team.
    const SEED = 'seed.shop.payment_methods';
    const unown = (n: any) => {
      delete n.meta.owner;
      delete n.config.meta.owner;
    };
    const m = demo();
    unown(m.nodes[SEED]);
    const file = writeJson(root, 'unowned.json', m);
    expect((await syncJson(ci, [file, '--owner-default', 'data'], 0)).teams_created).toContain('data');
    // The asset exists (owned by data): another default names a team nothing written needs.
    const again = await syncJson(ci, [file, '--owner-default', 'ghost'], 0);
    expect(again.teams_created).toEqual([]);
    expect(((await runJson(ci, ['team', 'list'])).teams as any[]).map((t) => t.name)).not.toContain('ghost');
    // A new unowned model: now ghost owns something written.
    const n = demo();
    unown(n.nodes[SEED]);
    n.nodes['seed.shop.payment_methods_v2'] = { ...n.nodes[SEED], unique_id: 'seed.shop.payment_methods_v2', name: 'payment_methods_v2', alias: 'payment_methods_v2' };
    const out = await syncJson(ci, [writeJson(root, 'new-unowned.json', n), '--owner-default', 'ghost'], 0);
    expect(out.teams_created).toEqual(['ghost']);
    const v2 = out.items.find((i: any) => i.asset.endsWith('payment_methods_v2'));
    expect(v2).toMatchObject({ action: 'created', owner: 'ghost' });
  });

  it('rename hints show in text, json, markdown, github and on the proposal', async () => {
    const root = tempDir('tessera-sync-hints-');
    const { ci } = await freshRegistry(root);
    await syncJson(ci, [path.join(DEMO_DIR, 'manifest.json')], 0);
    const m = demo();
    delete m.nodes[UID].columns.customer_id;
    m.nodes[UID].columns.email_address = { ...m.nodes[UID].columns.email, name: 'email_address' };
    delete m.nodes[UID].columns.email;
    const file = writeJson(root, 'renamed.json', m);
    const hint = 'looks like a rename of email to email_address';
    const out = await syncJson(ci, [file, '--dry-run'], 1);
    expect(out.hints).toEqual([`${CUSTOMERS}: ${hint}`]);
    expect(out.proposals[0].hints).toEqual([hint]);
    const text = await ci.run(['sync-dbt', file, '--dry-run']);
    expect(text.stdout).toContain(`hint: ${CUSTOMERS}: ${hint}`);
    const md = await ci.run(['sync-dbt', file, '--dry-run', '--format', 'markdown']);
    expect(md.stdout).toContain(`> **Hint:** \`${CUSTOMERS}\`: ${hint.replace('_', '\\_')}`);
    const gh = await ci.run(['sync-dbt', file, '--dry-run', '--format', 'github']);
    expect(gh.stdout).toContain(`::notice file=${file},title=tessera hint ${CUSTOMERS}::${hint}`);
    const real = await syncJson(ci, [file], 1);
    const id = real.proposals[0].id;
    expect((await runJson(ci, ['show', id])).proposal.hints).toEqual([hint]);
    const shown = await ci.run(['show', id]);
    expect(shown.stdout).toContain(`hint: ${hint}`);
  });

  it('a change of guarantees only says so, and a guarantee detail change is never an empty patch', async () => {
    const root = tempDir('tessera-sync-guarantees-');
    const { ci } = await freshRegistry(root);
    await syncJson(ci, [path.join(DEMO_DIR, 'manifest.json')], 0);
    // The not_null test renamed (a new unique_id): the guarantee's source changes, nothing any rule judges.
    const m = demo();
    const old = 'test.shop.not_null_customers_customer_id.a0c216a7ab';
    const renamed = 'test.shop.not_null_customers_customer_id_renamed.a0c216a7ab';
    m.nodes[renamed] = { ...m.nodes[old], unique_id: renamed, name: 'not_null_customers_customer_id_renamed' };
    delete m.nodes[old];
    const file = writeJson(root, 'renamed-test.json', m);
    const out = await syncJson(ci, [file], 0);
    const item = out.items.find((i: any) => i.asset === CUSTOMERS);
    expect(item).toMatchObject({ action: 'published', from: '1.0.0', version: '1.0.1', guarantees_only: true });
    expect(item.changes).toEqual([{ rule: 'GUARANTEES_CHANGED', path: '/guarantees', message: expect.any(String), breaking: false }]);
    expect((await runJson(ci, ['show', CUSTOMERS])).version.changes).toHaveLength(1);
    // A guarantee added: the text report names the version, the rule, and that only guarantees changed.
    const n = demo();
    n.nodes['test.shop.unique_customers_email.0000000000'] = { ...n.nodes['test.shop.unique_customers_customer_id.24e2c3abab'], unique_id: 'test.shop.unique_customers_email.0000000000', name: 'unique_customers_email', column_name: 'email', test_metadata: { name: 'unique', kwargs: { column_name: 'email', model: "{{ get_where_subquery(ref('customers')) }}" } } };
    const text = await ci.run(['sync-dbt', writeJson(root, 'more-tests.json', n)]);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${CUSTOMERS.replace(/\./g, '\\.')} 1\\.0\\.1 -> 1\\.1\\.0 \\(guarantees only\\): GUARANTEE_ADDED`));
  });
});

describe('sync-dbt: the project is never hidden by the memo or the plan cache', () => {
  it('a manifest differing only in metadata.project_name is planned from the cache but not answered by the memo: origins follow the project', async () => {
    const root = tempDir('tessera-sync-project-memo-');
    const { registry, ci } = await freshRegistry(root);
    const demoFile = path.join(DEMO_DIR, 'manifest.json');
    await syncJson(ci, [demoFile], 0);
    // An unchanged second run records the memo; a third answers from it.
    expect((await syncJson(ci, [demoFile], 0)).changed).toBe(false);
    const timed = { ...ci, run: (args: string[]) => tessera(args, { env: { ...ci.env, TESSERA_TIMINGS: '1' }, cwd: path.dirname(registry) }) } as Machine;
    const memo = await timed.run(['sync-dbt', demoFile, '--json']);
    expect(memo.stderr).not.toMatch(/timing registry read/);
    // The same bytes but the project's name: same content fingerprint, another project.
    const renamed = path.join(root, 'renamed-project.json');
    writeFileSync(renamed, readFileSync(demoFile, 'utf8').replace('"project_name": "shop"', '"project_name": "shop_v2"'));
    expect(readFileSync(renamed, 'utf8')).toContain('"project_name": "shop_v2"');
    const r = await timed.run(['sync-dbt', renamed, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/timing plan read from cache/);
    expect(r.stderr).toMatch(/timing registry read/);
    const out = JSON.parse(r.stdout);
    expect(out.changed).toBe(true);
    expect(out.items.every((i: any) => i.origin_updated === true)).toBe(true);
    expect((await runJson(ci, ['show', CUSTOMERS])).asset.origin.project).toBe('shop_v2');
  });
});

describe('sync-dbt --dry-run on an existing registry', () => {
  it('leaves every file of the registry as it was, caches included, whether or not it would write', async () => {
    const root = tempDir('tessera-sync-dry-existing-');
    const { registry, ci } = await freshRegistry(root);
    const demoFile = path.join(DEMO_DIR, 'manifest.json');
    await syncJson(ci, [demoFile], 0);
    await syncJson(ci, [demoFile], 0);
    const listing = () => walk(registry).map((f) => (f.endsWith('/') ? f : `${f} ${statSync(f).size} ${statSync(f).mtimeMs}`)).join('\n');
    const before = listing();
    expect(before).toMatch(/dbt-plans/);
    expect(before).toMatch(/sync-dbt-memo\.json/);
    const m = demo();
    delete m.nodes[UID].columns.customer_id;
    const changed = writeJson(root, 'changed.json', m);
    await syncJson(ci, [changed, '--dry-run'], 1);
    await syncJson(ci, [demoFile, '--dry-run'], 0);
    const renamed = path.join(root, 'rerun.json');
    writeFileSync(renamed, readFileSync(demoFile, 'utf8').replace('"invocation_id": "', '"invocation_id": "9'));
    await syncJson(ci, [renamed, '--dry-run'], 0);
    expect(listing()).toBe(before);
  });
});

/**
 * sync-dbt, "what it must show" 2: a copy of jaffle-shop v12 with one column
 * dropped from one model and one column retyped in another. --dry-run reports
 * exactly those two breaking findings and exits 1; a real run opens a
 * proposal for each (naming consumers and downstream) and publishes nothing
 * else; a rerun does not open a second one. Plus retirement of models that
 * leave the manifest, with and without consumers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, gitIn, machine, refState, tempDir, writeJson, type Machine } from '../helpers/machines.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { parseManifest } from '../../src/dbt/manifest.js';
import { planFromManifest } from '../../src/dbt/plan.js';
import { DEMO_DIR } from '../dbt/helpers.js';
import { freshRegistry, registryFiles, runJson } from './helpers.js';

afterAll(cleanupTempDirs);

describe.skipIf(!sharedAvailable('fixtures', 'dbt', 'jaffle-shop-v12-build'))('sync-dbt: breaking changes become proposals', () => {
  let root: string;
  let registry: string;
  let ci: Machine;
  let bea: Machine;
  let changed: string;
  let dropped: { id: string; column: string };
  let retyped: { id: string; column: string };
  let downstream: Record<string, string[]>;

  beforeAll(async () => {
    root = tempDir('tessera-sync-breaking-');
    ({ registry, ci } = await freshRegistry(root));
    bea = machine(root, 'bea', 'bea@acme.com', { TESSERA_REGISTRY: registry });
    const original = sharedPath('fixtures', 'dbt', 'jaffle-shop-v12-build', 'manifest.json');
    const raw = JSON.parse(readFileSync(original, 'utf8'));
    const plan = planFromManifest(parseManifest(raw));
    downstream = Object.fromEntries(plan.assets.map((a) => [a.id, a.downstream]));
    // Two typed elementary models: drop the last column of one, turn a string column of the other into an integer.
    const typed = Object.entries(raw.nodes as Record<string, any>)
      .filter(([, n]) => n.resource_type === 'model' && Object.values(n.columns).some((c: any) => c.data_type === 'string') && Object.keys(n.columns).length >= 3)
      .map(([uid]) => uid)
      .sort();
    const [a, b] = typed as [string, string];
    const idOf = (uid: string) => plan.assets.find((x) => x.uniqueId === uid)!.id;
    const dropCol = Object.keys(raw.nodes[a].columns).pop()!;
    delete raw.nodes[a].columns[dropCol];
    const retypeCol = Object.entries(raw.nodes[b].columns as Record<string, any>).find(([, c]) => c.data_type === 'string')![0];
    raw.nodes[b].columns[retypeCol].data_type = 'int';
    dropped = { id: idOf(a), column: dropCol };
    retyped = { id: idOf(b), column: retypeCol };
    changed = writeJson(root, 'manifest-changed.json', raw);

    await runJson(ci, ['sync-dbt', original, '--owner-default', 'data']);
    await runJson(bea, ['team', 'add', 'bi', '--member', 'bea@acme.com']);
    await runJson(bea, ['consume', dropped.id, '--team', 'bi']);
    await runJson(bea, ['consume', retyped.id, '--team', 'bi']);
  });

  it('--dry-run reports exactly the two breaking changes with rule ids, exits 1 and writes nothing', async () => {
    const before = await refState(registry);
    const r = await ci.run(['sync-dbt', changed, '--dry-run', '--json']);
    expect(r.exitCode, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.dry_run).toBe(true);
    const breaking = out.findings.filter((f: any) => f.severity === 'breaking').map((f: any) => [f.rule, f.asset, f.path]);
    expect(breaking).toEqual([
      ['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', dropped.id, `/properties/${dropped.column}`],
      ['TYPE_CHANGED', retyped.id, `/properties/${retyped.column}`],
    ].sort((x, y) => (x[1]! < y[1]! ? -1 : 1)));
    expect(out.findings).toHaveLength(2);
    expect(out.proposals.map((p: any) => p.asset).sort()).toEqual([dropped.id, retyped.id].sort());
    expect(await refState(registry)).toBe(before);

    const text = await ci.run(['sync-dbt', changed, '--dry-run']);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(/PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL/);
    expect(text.stdout).toMatch(/TYPE_CHANGED/);
    expect(text.stdout).toMatch(/nothing written/);
    expect((await ci.run(['sync-dbt', changed, '--dry-run', '--fail-on', 'never'])).exitCode).toBe(0);
    expect(await refState(registry)).toBe(before);
  });

  it('a real run opens one proposal per breaking asset in one transaction and publishes nothing else', async () => {
    const mainBefore = await gitIn(registry, ['rev-parse', 'refs/heads/main']);
    const filesBefore = await registryFiles(registry);
    const r = await ci.run(['sync-dbt', changed, '--json']);
    expect(r.exitCode, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.counts).toMatchObject({ proposed: 2, created: 0, published: 0, 'published-major': 0 });
    expect(await gitIn(registry, ['rev-parse', 'refs/heads/main'])).toBe(mainBefore);
    expect(await registryFiles(registry)).toEqual(filesBefore);
    const branches = (await gitIn(registry, ['for-each-ref', '--format=%(refname)', 'refs/heads/tessera/proposals/'])).split('\n').filter(Boolean);
    expect(branches).toHaveLength(2);
    const proposals = await runJson(ci, ['proposals']);
    const list = (proposals.proposals ?? proposals) as any[];
    const byAsset = Object.fromEntries(list.map((p: any) => [p.asset ?? p.proposal?.asset, p]));
    expect(Object.keys(byAsset).sort()).toEqual([dropped.id, retyped.id].sort());
    for (const id of [dropped.id, retyped.id]) {
      const pid = out.proposals.find((p: any) => p.asset === id).id;
      const shown = await runJson(ci, ['show', pid]);
      expect(shown.proposal).toMatchObject({ asset: id, from_version: '1.0.0', to_version: '2.0.0', required_teams: ['bi'], status: 'open' });
      expect(shown.proposal.downstream ?? []).toEqual(downstream[id]);
      // Same shape as tessera publish: the proposal file and the proposed version on the branch.
      const branchFiles = await registryFiles(registry, `assets/${id}/versions/`, `refs/heads/tessera/proposals/${pid}`);
      expect(branchFiles.get(`assets/${id}/versions/2.0.0.yaml`)).toMatchObject({ via: 'proposal', proposal: pid, previous_version: '1.0.0' });
    }
    const events = await runJson(ci, ['log', '--event', 'proposal']);
    expect(events.count).toBe(0); // proposal commits live on their branches, not on main
  });

  it('a rerun does not open a second proposal, reports the open one with the missing acks, and fails like the first run', async () => {
    const before = await refState(registry);
    const out = await runJson(ci, ['sync-dbt', changed], 1);
    expect(out.changed).toBe(false);
    expect(out.counts['proposal-open']).toBe(2);
    expect(out.findings.map((f: any) => [f.severity, f.rule])).toEqual([['breaking', 'PROPOSAL_ALREADY_OPEN'], ['breaking', 'PROPOSAL_ALREADY_OPEN']]);
    for (const f of out.findings) expect(f.message).toMatch(/waits on proposal p-[0-9a-f]{8}, missing acks from bi: tessera ack p-[0-9a-f]{8} --team bi/);
    expect((await ci.run(['sync-dbt', changed, '--fail-on', 'never'])).exitCode).toBe(0);
    const gh = await ci.run(['sync-dbt', changed, '--format', 'github']);
    expect(gh.exitCode).toBe(1);
    expect(gh.stdout.split('\n').filter((l) => l.startsWith('::error') && l.includes('tessera ack'))).toHaveLength(2);
    expect(await refState(registry)).toBe(before);
  });
});

describe('sync-dbt: assets that leave the manifest are retired', () => {
  it('retires an unconsumed model in the sync commit and proposes retiring a consumed one; the merge marks it retired', async () => {
    const root = tempDir('tessera-sync-retire-');
    const { registry, ci } = await freshRegistry(root);
    const demo = path.join(DEMO_DIR, 'manifest.json');
    await runJson(ci, ['sync-dbt', demo]);
    const raw = JSON.parse(readFileSync(demo, 'utf8'));
    // customers is consumed (finance via the exposure, payments via meta.tessera.consumers); stg_payments is not.
    delete raw.nodes['model.shop.customers'];
    delete raw.nodes['model.shop.stg_payments'];
    for (const [k, n] of Object.entries(raw.nodes as Record<string, any>)) {
      if (n.resource_type === 'test' && ['model.shop.customers', 'model.shop.stg_payments'].includes(n.attached_node)) delete raw.nodes[k];
    }
    const file = writeJson(root, 'manifest-smaller.json', raw);
    const dry = await runJson(ci, ['sync-dbt', file, '--dry-run'], 1);
    expect(dry.findings.map((f: any) => [f.severity, f.rule, f.asset])).toEqual([
      ['breaking', 'ASSET_RETIRED', 'analytics.marts.customers'],
      ['info', 'ASSET_RETIRED', 'analytics.staging.stg_payments'],
    ]);
    const out = await runJson(ci, ['sync-dbt', file], 1);
    expect(out.counts).toMatchObject({ retired: 1, 'retire-proposed': 1 });
    const stg = await runJson(ci, ['show', 'analytics.staging.stg_payments']);
    expect(stg.asset.retired).toBe(true);
    const p = out.proposals.find((x: any) => x.asset === 'analytics.marts.customers');
    expect(p).toMatchObject({ action: 'retire-proposed', from_version: '1.0.0', to_version: '2.0.0', required_teams: ['finance', 'payments'] });

    // A rerun proposes nothing new; then the consumers approve and the merge retires the asset.
    // The retirement is not live yet: the rerun still fails under the default --fail-on breaking.
    expect((await runJson(ci, ['sync-dbt', file], 1)).counts['proposal-open']).toBe(1);
    // finance was created by the first sync with the exposure owner's email as its member.
    const teams = (await runJson(ci, ['team', 'list'])).teams as Array<{ name: string; members: string[] }>;
    const finEmail = teams.find((t) => t.name === 'finance')!.members[0]!;
    expect(teams.find((t) => t.name === 'payments')!.members).toContain('ci-bot@acme.com');
    const fin = machine(root, 'fin', finEmail, { TESSERA_REGISTRY: registry });
    await runJson(fin, ['ack', p.id, '--team', 'finance']);
    const merged = await runJson(ci, ['ack', p.id, '--team', 'payments']);
    expect(merged.merged).toBe(true);
    const customers = await runJson(ci, ['show', 'analytics.marts.customers']);
    expect(customers.asset).toMatchObject({ retired: true, current_version: '2.0.0' });
    expect(customers.version).toMatchObject({ retired: true, via: 'proposal' });
    // Gone and retired: a later sync leaves it alone; back in the manifest, it is restored.
    expect((await runJson(ci, ['sync-dbt', file])).changed).toBe(false);
    const back = await runJson(ci, ['sync-dbt', demo]);
    expect(back.counts.restored).toBe(2);
    expect((await runJson(ci, ['show', 'analytics.marts.customers'])).asset.retired).toBeUndefined();
    expect((await runJson(ci, ['show', 'analytics.staging.stg_payments'])).asset.retired).toBeUndefined();
  });
});

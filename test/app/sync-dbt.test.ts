/**
 * The sync-dbt use case called directly (src/app/sync-dbt.ts) on a real
 * registry with the demo project's manifests: the events it returns are what
 * notifications consume, so each names its asset, version, proposal and the
 * commit that carries it, equal to the ref's new head.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, gitIn, machine, tempDir, writeJson } from '../helpers/machines.js';
import { DEMO_DIR, demoJson } from '../dbt/helpers.js';
import { freshRegistry } from '../sync/helpers.js';
import { Repository } from '../../src/registry/repository.js';
import { prepareSyncDbt, syncDbt, type SyncDbtRequest } from '../../src/app/sync-dbt.js';
import type { AppContext } from '../../src/app/context.js';
import { PROPOSAL_BRANCH_PREFIX, proposalBranch } from '../../src/core/proposal.js';

afterAll(cleanupTempDirs);

const ACTOR = { name: 'CI', email: 'ci-bot@acme.com' };
const AT = '2026-11-26T12:00:00Z';

function request(manifest: string, extra: Partial<SyncDbtRequest> = {}): SyncDbtRequest {
  return { file: manifest, bytes: readFileSync(path.resolve(DEMO_DIR, manifest)), ownerDefault: 'data-platform', select: [], dryRun: false, memo: false, planCache: false, cacheDir: undefined, tesseraVersion: 'test', ...extra };
}

async function sync(registry: string, req: SyncDbtRequest) {
  const repo = await Repository.openGitDir(registry);
  const ctx: AppContext = { repo, identity: async () => ACTOR, now: () => new Date(AT) };
  try {
    return await syncDbt(ctx, prepareSyncDbt(req));
  } finally {
    repo.close();
  }
}

const head = (registry: string, ref: string) => gitIn(registry, ['rev-parse', ref]).then((s) => s.trim());
const types = (events: ReadonlyArray<{ type: string }>) => [...new Set(events.map((e) => e.type))].sort();

describe('syncDbt', () => {
  let registry: string;
  beforeAll(async () => {
    ({ registry } = await freshRegistry(tempDir('tessera-app-sync-')));
  });

  it('a dry run says what it would do, without commit ids, and writes nothing', async () => {
    const before = await head(registry, 'refs/heads/main');
    const out = await sync(registry, request('manifest.json', { dryRun: true }));
    expect(out.commits).toEqual({});
    expect(out.events.filter((e) => e.type === 'contract.published')).toHaveLength(out.result.plan.counts.created);
    expect(out.events.every((e) => e.commit === undefined)).toBe(true);
    expect(await head(registry, 'refs/heads/main')).toBe(before);
  });

  it('the first sync: one dbt.synced and one contract.published per asset created, all on the new main head', async () => {
    const out = await sync(registry, request('manifest.json'));
    const main = await head(registry, 'refs/heads/main');
    expect(out.result.commit).toBe(main);
    expect(out.commits).toEqual({ 'refs/heads/main': main });
    expect(out.events.filter((e) => e.type === 'dbt.synced')).toEqual([{ type: 'dbt.synced', actor: ACTOR.email, at: AT, commit: main }]);
    const published = out.events.filter((e) => e.type === 'contract.published');
    const created = out.result.plan.items.filter((i) => i.action === 'created');
    expect(created.length).toBeGreaterThan(5);
    expect(published.map((e) => `${e.asset}@${e.version}`).sort()).toEqual(created.map((i) => `${i.asset}@${i.version}`).sort());
    for (const e of published) expect(e).toMatchObject({ commit: main, actor: ACTOR.email, team: created.find((i) => i.asset === e.asset)!.owner });
    expect(out.events.every((e) => e.commit === main)).toBe(true);
    expect(types(out.events).filter((t) => !['dbt.synced', 'contract.published', 'team.created', 'consumer.registered'].includes(t))).toEqual([]);
  });

  it('the same manifest again writes nothing and has no events', async () => {
    const main = await head(registry, 'refs/heads/main');
    const out = await sync(registry, request('manifest.json'));
    expect(out.events).toEqual([]);
    expect(out.commits).toEqual({});
    expect(await head(registry, 'refs/heads/main')).toBe(main);
  });

  let opened: string[] = [];
  it('a breaking manifest opens proposals: one proposal.created per branch, its commit the branch head', async () => {
    const out = await sync(registry, request('manifest-breaking.json'));
    const created = out.events.filter((e) => e.type === 'proposal.created');
    expect(created.length).toBeGreaterThan(0);
    expect(created.map((e) => e.proposal).sort()).toEqual(out.result.plan.proposals.map((p) => p.proposal.id).sort());
    for (const e of created) {
      const p = out.result.plan.proposals.find((x) => x.proposal.id === e.proposal)!;
      expect(e).toMatchObject({ asset: p.asset, version: p.proposal.to_version, team: p.owner, commit: await head(registry, proposalBranch(e.proposal!)) });
      expect(out.commits[proposalBranch(e.proposal!)]).toBe(e.commit);
    }
    opened = created.map((e) => e.proposal!);
    expect(await gitIn(registry, ['for-each-ref', '--format=%(refname)', PROPOSAL_BRANCH_PREFIX])).not.toBe('');
  });

  it('going back to the first manifest withdraws them: proposal.withdrawn per proposal, on the sync commit', async () => {
    const out = await sync(registry, request('manifest.json'));
    const main = await head(registry, 'refs/heads/main');
    const withdrawn = out.events.filter((e) => e.type === 'proposal.withdrawn');
    expect(withdrawn.map((e) => e.proposal).sort()).toEqual([...opened].sort());
    for (const e of withdrawn) expect(e.commit).toBe(main);
    expect(out.events.filter((e) => e.type === 'dbt.synced')).toEqual([{ type: 'dbt.synced', actor: ACTOR.email, at: AT, commit: main }]);
    const branches = await gitIn(registry, ['for-each-ref', '--format=%(refname)', PROPOSAL_BRANCH_PREFIX]);
    expect(branches.trim()).toBe('');
  });

  it('a memo answer writes nothing and has no events', async () => {
    const cacheDir = registry;
    await sync(registry, request('manifest.json', { memo: true, cacheDir }));
    const out = await sync(registry, request('manifest.json', { memo: true, cacheDir }));
    expect(out.result.fromMemo).toBe(true);
    expect(out).toMatchObject({ events: [], commits: {} });
  });
});

describe('syncDbt of an approved pull-request proposal', () => {
  const CUSTOMERS = 'analytics.marts.customers';
  it('merges it first: proposal.merged with the merge commit, which main holds', async () => {
    const root = tempDir('tessera-app-sync-pr-');
    const { registry, ci } = await freshRegistry(root);
    await sync(registry, request('manifest.json'));
    // The pull request's manifest drops a column finance and payments consume.
    const m = demoJson('manifest.json') as any;
    delete m.nodes['model.shop.customers'].columns.email;
    for (const [k, n] of Object.entries(m.nodes as Record<string, any>)) {
      if (n.resource_type === 'test' && n.attached_node === 'model.shop.customers' && n.column_name === 'email') delete m.nodes[k];
    }
    const pr12 = writeJson(root, 'pr12.json', m);
    const gated = await sync(registry, request(pr12, { pullRequest: { id: '12' } }));
    const opened = gated.events.filter((e) => e.type === 'proposal.created');
    expect(opened).toHaveLength(1);
    const id = opened[0]!.proposal!;
    expect(opened[0]).toMatchObject({ asset: CUSTOMERS, version: '2.0.0', team: 'commerce', commit: await head(registry, proposalBranch(id)) });

    const teams = JSON.parse((await ci.run(['team', 'list', '--json'])).stdout).teams as Array<{ name: string; members: string[] }>;
    expect((await ci.run(['team', 'add', 'payments', '--member', 'pam@acme.com'])).exitCode).toBe(0);
    const fin = machine(root, 'fin', teams.find((t) => t.name === 'finance')!.members[0]!, { TESSERA_REGISTRY: registry });
    const pam = machine(root, 'pam', 'pam@acme.com', { TESSERA_REGISTRY: registry });
    expect((await fin.run(['ack', id, '--team', 'finance'])).exitCode).toBe(0);
    expect((await pam.run(['ack', id, '--team', 'payments'])).exitCode).toBe(0);

    const dry = await sync(registry, request(pr12, { dryRun: true }));
    expect(dry.events.filter((e) => e.type === 'proposal.merged')).toEqual([{ type: 'proposal.merged', actor: ACTOR.email, at: AT, asset: CUSTOMERS, version: '2.0.0', proposal: id, team: opened[0]!.team }]);

    const out = await sync(registry, request(pr12));
    const merged = out.events.filter((e) => e.type === 'proposal.merged');
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ asset: CUSTOMERS, version: '2.0.0', proposal: id, team: opened[0]!.team });
    const main = await head(registry, 'refs/heads/main');
    expect(out.commits['refs/heads/main']).toBe(main);
    expect(merged[0]!.commit).toBe(out.result.merged[0]!.commit);
    expect(await gitIn(registry, ['log', '-1', '--format=%B', merged[0]!.commit!])).toMatch(new RegExp(`Tessera-Event: proposal.merged[\\s\\S]*Tessera-Proposal: ${id}`));
    // The merge commit is main's head, or the parent of the sync commit on top of it.
    const synced = out.events.find((e) => e.type === 'dbt.synced');
    expect(synced ? await head(registry, `${main}^1`) : main).toBe(merged[0]!.commit);
  });
});

/**
 * app/withdraw.ts called directly: withdrawing a proposal reports
 * proposal.withdrawn on main's new head (its record), and withdrawing a
 * pull request's proposals reports one proposal.withdrawn per proposal, all
 * on the one commit that records them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ack } from '../../src/app/ack.js';
import { publish } from '../../src/app/publish.js';
import { withdraw, withdrawPullRequest } from '../../src/app/withdraw.js';
import { ackRef, proposalBranch } from '../../src/core/proposal.js';
import { Repository } from '../../src/registry/repository.js';
import { cleanupTempDirs, gitIn, machine, tempDir, writeJson } from '../helpers/machines.js';
import { demoJson } from '../dbt/helpers.js';
import { ANA, AT, AT_ISO, breakingUsers, LI, proposalRegistry, type ProposalRegistry } from './proposals-fixture.js';

afterAll(cleanupTempDirs);

describe('withdraw: outcome events and commits', () => {
  let reg: ProposalRegistry;
  let id: string;
  beforeAll(async () => {
    reg = await proposalRegistry();
    id = (await publish(await reg.open(ANA), breakingUsers())).result.proposal!.id;
    await ack(await reg.open(LI), { target: id, team: 'growth', decision: 'approve' });
  }, 120_000);
  afterAll(() => reg.closeAll());

  it('only the owner team may withdraw: refused, nothing written', async () => {
    const before = await reg.refs();
    await expect(withdraw(await reg.open(LI), { target: id })).rejects.toThrow(/member/);
    expect(await reg.refs()).toBe(before);
  });

  it('proposal.withdrawn on main; the branch and the ack refs go', async () => {
    const out = await withdraw(await reg.open(ANA), { target: 'users', reason: 'rethinking it' });
    const main = await reg.head('refs/heads/main');
    expect(out.result).toEqual({ id, asset: 'users', to_version: '2.0.0' });
    expect(out.commits).toEqual({ 'refs/heads/main': main });
    expect(out.events).toEqual([{ type: 'proposal.withdrawn', actor: ANA.email, at: AT_ISO, asset: 'users', version: '2.0.0', proposal: id, team: 'core', commit: main }]);
    expect(await reg.eventsOf(main!)).toEqual(['proposal.withdrawn']);
    expect(await reg.head(proposalBranch(id))).toBeUndefined();
    expect(await reg.head(ackRef(id, 'growth'))).toBeUndefined();
  });
});

describe('withdraw a pull request: one event per proposal, one commit', () => {
  const CI = { name: 'ci', email: 'ci-bot@acme.com' };
  let gitDir: string;
  let repo: Repository;
  let ids: string[];
  beforeAll(async () => {
    const root = tempDir('tessera-app-withdraw-pr-');
    gitDir = path.join(root, 'registry.git');
    const NO_CI = { GITHUB_EVENT_NAME: '', GITHUB_EVENT_PATH: '', GITHUB_STEP_SUMMARY: '', GITHUB_SERVER_URL: '', GITHUB_REPOSITORY: '', CI_MERGE_REQUEST_IID: '' };
    const ci = machine(root, CI.name, CI.email, { TESSERA_REGISTRY: gitDir, TESSERA_NOW: AT_ISO, ...NO_CI });
    expect((await ci.run(['init', gitDir])).exitCode).toBe(0);
    expect((await ci.run(['sync-dbt', writeJson(root, 'main.json', demoJson('manifest.json'))])).exitCode).toBe(0);
    // A pull request that drops a column two consumed models each have: a proposal for each.
    const pr = demoJson('manifest.json') as any;
    for (const uid of ['model.shop.customers', 'model.shop.orders']) {
      const column = uid.endsWith('customers') ? 'email' : 'amount';
      delete pr.nodes[uid].columns[column];
      for (const [k, n] of Object.entries(pr.nodes as Record<string, any>)) if (n.resource_type === 'test' && n.attached_node === uid && n.column_name === column) delete pr.nodes[k];
    }
    const opened = await ci.run(['sync-dbt', writeJson(root, 'pr.json', pr), '--pull-request', '13', '--json']);
    expect(opened.exitCode, opened.stderr).toBe(1);
    ids = (JSON.parse(opened.stdout).proposals as Array<{ id: string }>).map((p) => p.id).sort();
    expect(ids.length).toBe(2);
    repo = await Repository.openGitDir(gitDir);
  }, 120_000);
  afterAll(() => repo?.close());

  it('proposal.withdrawn for each proposal of the pull request, all on the new head of main', async () => {
    const out = await withdrawPullRequest({ repo, identity: async () => CI, now: () => AT }, { pullRequest: { id: '13' } });
    const main = (await gitIn(gitDir, ['rev-parse', 'refs/heads/main'])).trim();
    expect(out.result.reason).toBe('pull request #13 closed without merging');
    expect(out.result.proposals.map((p) => p.id).sort()).toEqual(ids);
    expect(out.commits).toEqual({ 'refs/heads/main': main });
    expect(out.events.map((e) => e.proposal).sort()).toEqual(ids);
    for (const e of out.events) expect(e).toMatchObject({ type: 'proposal.withdrawn', actor: CI.email, at: AT_ISO, commit: main });
    expect(new Set(out.events.map((e) => e.asset))).toEqual(new Set(out.result.proposals.map((p) => p.asset)));
  });

  it('again (the closed event delivered twice): nothing open, no event, no commit', async () => {
    const out = await withdrawPullRequest({ repo, identity: async () => CI, now: () => AT }, { pullRequest: { id: '13' } });
    expect(out).toMatchObject({ result: { proposals: [] }, commits: {}, events: [] });
  });
});

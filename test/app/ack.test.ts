/**
 * app/ack.ts called directly on a real registry: an answer is one event
 * named by its decision (proposal.acked / proposal.blocked /
 * proposal.migrating) on the team's ack ref, while the commit's trailer stays
 * proposal.acked with Tessera-Decision; the answer that completes the
 * proposal adds proposal.merged on main's new head.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ack } from '../../src/app/ack.js';
import { publish } from '../../src/app/publish.js';
import { ackRef, proposalBranch } from '../../src/core/proposal.js';
import { InputError } from '../../src/core/errors.js';
import { cleanupTempDirs, gitIn } from '../helpers/machines.js';
import { ANA, AT_ISO, BO, breakingUsers, LI, proposalRegistry, type ProposalRegistry } from './proposals-fixture.js';

afterAll(cleanupTempDirs);

describe('ack: outcome events and commits', () => {
  let reg: ProposalRegistry;
  let id: string;
  const answer = { actor: '', at: AT_ISO, asset: 'users', version: '2.0.0' };
  beforeAll(async () => {
    reg = await proposalRegistry();
    id = (await publish(await reg.open(ANA), breakingUsers())).result.proposal!.id;
  }, 120_000);
  afterAll(() => reg.closeAll());

  it('an approval: proposal.acked on the team ack ref, nothing merged yet', async () => {
    const out = await ack(await reg.open(LI), { target: id, team: 'growth', decision: 'approve' });
    const ref = await reg.head(ackRef(id, 'growth'));
    expect(ref).toBeDefined();
    expect(out.commits).toEqual({ [ackRef(id, 'growth')]: ref });
    expect(out.events).toEqual([{ ...answer, type: 'proposal.acked', actor: LI.email, proposal: id, team: 'growth', commit: ref }]);
    expect(out.result).toMatchObject({ merged: false, pending: ['billing'], unchanged: false });
  });

  it('the same answer again writes nothing and reports no event', async () => {
    const before = await reg.refs();
    const out = await ack(await reg.open(LI), { target: id, team: 'growth', decision: 'approve' });
    expect(out.result.unchanged).toBe(true);
    expect(out).toMatchObject({ commits: {}, events: [] });
    expect(await reg.refs()).toBe(before);
  });

  it('a block: proposal.blocked, while the commit trailer stays proposal.acked with its decision', async () => {
    const out = await ack(await reg.open(BO), { target: 'users', team: 'billing', decision: 'block', note: 'we still bill by email' });
    const ref = await reg.head(ackRef(id, 'billing'));
    expect(out.events).toEqual([{ ...answer, type: 'proposal.blocked', actor: BO.email, proposal: id, team: 'billing', commit: ref }]);
    expect(out.result).toMatchObject({ merged: false, blocked: ['billing'] });
    expect(await reg.eventsOf(ref!)).toEqual(['proposal.acked']);
    expect(await gitIn(reg.gitDir, ['log', '-1', '--format=%B', ref!])).toContain('Tessera-Decision: block');
  });

  it('bad answers are refused and write nothing', async () => {
    const before = await reg.refs();
    const ctx = await reg.open(BO);
    await expect(ack(ctx, { target: id, team: 'billing', decision: 'maybe' })).rejects.toThrow(InputError);
    await expect(ack(ctx, { target: id, team: 'billing', decision: 'block' })).rejects.toThrow(/a block needs --note/);
    await expect(ack(ctx, { target: id, team: 'growth', decision: 'approve' })).rejects.toThrow(/member/);
    expect(await reg.refs()).toBe(before);
  });

  it('the answer that completes it: proposal.migrating on the ack ref, then proposal.merged on main', async () => {
    const out = await ack(await reg.open(BO), { target: id, team: 'billing', decision: 'migrating' });
    const main = await reg.head('refs/heads/main');
    const commit = out.commits[ackRef(id, 'billing')];
    expect(commit).toBeDefined();
    expect(out.result).toMatchObject({ merged: true, pending: [], blocked: [] });
    expect(out.commits['refs/heads/main']).toBe(main);
    expect(out.events).toEqual([
      { ...answer, type: 'proposal.migrating', actor: BO.email, proposal: id, team: 'billing', commit },
      { ...answer, type: 'proposal.merged', actor: BO.email, proposal: id, team: 'core', commit: main },
    ]);
    // The merge commit keeps the ack as a parent; the ack refs and the branch are gone.
    expect((await gitIn(reg.gitDir, ['log', '-1', '--format=%P', main!])).split(' ')).toContain(commit);
    expect(await reg.eventsOf(main!)).toEqual(['proposal.merged']);
    expect(await reg.head(ackRef(id, 'billing'))).toBeUndefined();
    expect(await reg.head(proposalBranch(id))).toBeUndefined();
  });
});

/**
 * app/expire.ts called directly: every proposal past its expiry closes in
 * one commit on main, reported as one proposal.expired per proposal with
 * that commit; before the expiry nothing happens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expire } from '../../src/app/expire.js';
import { publish } from '../../src/app/publish.js';
import { proposalBranch } from '../../src/core/proposal.js';
import { cleanupTempDirs, USERS_V1 } from '../helpers/machines.js';
import { ANA, AT, breakingUsers, BO, proposalRegistry, type ProposalRegistry } from './proposals-fixture.js';

afterAll(cleanupTempDirs);

describe('expire: outcome events and commits', () => {
  let reg: ProposalRegistry;
  const ids: string[] = [];
  beforeAll(async () => {
    reg = await proposalRegistry();
    // A second asset with a proposal of its own: expiry closes both in one commit.
    const ctx = await reg.open(ANA);
    await publish(ctx, { contract: { asset: 'orders', schema: USERS_V1, owner: 'core' } });
    expect((await reg.run(BO, ['consume', 'orders', '--team', 'billing'])).exitCode).toBe(0);
    ids.push((await publish(ctx, breakingUsers())).result.proposal!.id);
    ids.push((await publish(ctx, { ...breakingUsers(), contract: { ...breakingUsers().contract, asset: 'orders' } })).result.proposal!.id);
  }, 120_000);
  afterAll(() => reg.closeAll());

  it('before any expiry: nothing to do, no event, no commit', async () => {
    const before = await reg.refs();
    const out = await expire(await reg.open(BO));
    expect(out).toMatchObject({ result: { proposals: [] }, commits: {}, events: [] });
    expect(await reg.refs()).toBe(before);
  });

  it('past the expiry: one proposal.expired per proposal, on one commit of main', async () => {
    const later = new Date(AT.getTime() + 400 * 86_400_000);
    const out = await expire(await reg.open(BO, later));
    const main = await reg.head('refs/heads/main');
    const at = later.toISOString().replace(/\.\d{3}Z$/, 'Z');
    // Proposals created in the same second come in the order of their refs.
    expect([...out.result.proposals].sort()).toEqual([...ids].sort());
    expect(out.commits).toEqual({ 'refs/heads/main': main });
    expect(out.events).toHaveLength(2);
    expect(out.events).toEqual(expect.arrayContaining([
      { type: 'proposal.expired', actor: BO.email, at, asset: 'users', version: '2.0.0', proposal: ids[0], team: 'core', commit: main },
      { type: 'proposal.expired', actor: BO.email, at, asset: 'orders', version: '2.0.0', proposal: ids[1], team: 'core', commit: main },
    ]));
    expect(await reg.eventsOf(main!)).toEqual(['proposal.expired']);
    for (const id of ids) expect(await reg.head(proposalBranch(id))).toBeUndefined();
  });
});

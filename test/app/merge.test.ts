/**
 * app/merge.ts called directly: with auto_merge off, `merge` of an approved
 * proposal reports proposal.merged on main's new head; an incomplete one is
 * refused naming who must answer, writing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ack } from '../../src/app/ack.js';
import { merge, mergeIfComplete } from '../../src/app/merge.js';
import { publish } from '../../src/app/publish.js';
import { proposalBranch } from '../../src/core/proposal.js';
import { PolicyError } from '../../src/core/errors.js';
import { cleanupTempDirs } from '../helpers/machines.js';
import { ANA, AT_ISO, breakingUsers, LI, proposalRegistry, type ProposalRegistry } from './proposals-fixture.js';

afterAll(cleanupTempDirs);

describe('merge: outcome events and commits', () => {
  let reg: ProposalRegistry;
  let id: string;
  beforeAll(async () => {
    reg = await proposalRegistry({ consumers: ['growth'], policy: { auto_merge: false } });
    id = (await publish(await reg.open(ANA), breakingUsers())).result.proposal!.id;
  }, 120_000);
  afterAll(() => reg.closeAll());

  it('before every team approved: refused with the ack command, nothing written', async () => {
    const before = await reg.refs();
    await expect(merge(await reg.open(ANA), { target: id })).rejects.toThrow(PolicyError);
    const refusal = await merge(await reg.open(ANA), { target: id }).catch((e: PolicyError) => e);
    expect((refusal as PolicyError).oneLine()).toContain(`tessera ack ${id} --team growth`);
    expect(await mergeIfComplete(await reg.open(ANA), id)).toMatchObject({ merged: false, reason: 'incomplete' });
    expect(await reg.refs()).toBe(before);
  });

  it('once approved (auto_merge off, so the ack does not merge): proposal.merged on main', async () => {
    const acked = await ack(await reg.open(LI), { target: id, team: 'growth', decision: 'approve' });
    expect(acked.result).toMatchObject({ merged: false, autoMerge: false });
    expect(acked.events.map((e) => e.type)).toEqual(['proposal.acked']);

    const out = await merge(await reg.open(ANA), { target: 'users' });
    const main = await reg.head('refs/heads/main');
    expect(out.result).toMatchObject({ commit: main, proposal: { id, asset: 'users', to_version: '2.0.0' } });
    expect(out.commits).toEqual({ 'refs/heads/main': main });
    expect(out.events).toEqual([{ type: 'proposal.merged', actor: ANA.email, at: AT_ISO, asset: 'users', version: '2.0.0', proposal: id, team: 'core', commit: main }]);
    expect(await reg.eventsOf(main!)).toEqual(['proposal.merged']);
    expect(await reg.head(proposalBranch(id))).toBeUndefined();
  });

  it('a proposal already merged is no longer open: refused, nothing written', async () => {
    const before = await reg.refs();
    await expect(merge(await reg.open(ANA), { target: id })).rejects.toThrow(/proposal/);
    expect(await mergeIfComplete(await reg.open(ANA), id)).toMatchObject({ merged: false, reason: 'gone' });
    expect(await reg.refs()).toBe(before);
  });
});

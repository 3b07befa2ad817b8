/**
 * app/publish.ts called directly on a real registry: each way a publish can
 * go reports its one event with the asset, version, owner team, proposal
 * and the id of the commit that carries it (the new head of main, or of the
 * proposal's branch), which is what notifications will consume.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../../src/app/publish.js';
import { check } from '../../src/app/check.js';
import { proposalBranch } from '../../src/core/proposal.js';
import { InputError, PolicyError } from '../../src/core/errors.js';
import { cleanupTempDirs, USERS_V1, USERS_V1_1 } from '../helpers/machines.js';
import { ANA, AT_ISO, breakingUsers, LI, proposalRegistry, type ProposalRegistry } from './proposals-fixture.js';

afterAll(cleanupTempDirs);

const USERS_V2_NO_CREATED = {
  type: 'object',
  properties: { user_id: { type: 'integer' }, email: { type: 'string' } },
  required: ['user_id', 'email'],
};

describe('publish: outcome events and commits', () => {
  let reg: ProposalRegistry;
  let proposalId: string;
  beforeAll(async () => {
    reg = await proposalRegistry();
  }, 120_000);
  afterAll(() => reg.closeAll());

  it('the first version of a new asset: contract.published on the new head of main', async () => {
    const ctx = await reg.open(ANA);
    const out = await publish(ctx, { contract: { asset: 'orders', schema: USERS_V1, owner: 'core' } });
    const main = await reg.head('refs/heads/main');
    expect(out.result.action).toBe('contract.published');
    expect(out.commits).toEqual({ 'refs/heads/main': main });
    expect(out.events).toEqual([{ type: 'contract.published', actor: ANA.email, at: AT_ISO, asset: 'orders', version: '1.0.0', team: 'core', commit: main }]);
    expect(await reg.eventsOf(main!)).toEqual(['contract.published']);
  });

  it('a dry run decides and writes nothing: its events carry no commit', async () => {
    const before = await reg.refs();
    const out = await publish(await reg.open(ANA), breakingUsers({ dryRun: true }));
    expect(out.result.action).toBe('proposal.created');
    expect(out.commits).toEqual({});
    expect(out.events).toEqual([{ type: 'proposal.created', actor: ANA.email, at: AT_ISO, asset: 'users', version: '2.0.0', proposal: out.result.proposal!.id, team: 'core' }]);
    expect(await reg.refs()).toBe(before);
  });

  it('the same contract again: unchanged, no event, no commit', async () => {
    const before = await reg.refs();
    const out = await publish(await reg.open(ANA), { contract: { asset: 'users', schema: USERS_V1 } });
    expect(out.result.action).toBe('unchanged');
    expect(out).toMatchObject({ commits: {}, events: [] });
    expect(await reg.refs()).toBe(before);
  });

  it('a compatible change: contract.published with the new version', async () => {
    const out = await publish(await reg.open(ANA), { contract: { asset: 'users', schema: USERS_V1_1 } });
    const main = await reg.head('refs/heads/main');
    expect(out.events).toEqual([{ type: 'contract.published', actor: ANA.email, at: AT_ISO, asset: 'users', version: '1.1.0', team: 'core', commit: main }]);
  });

  it('a breaking change with consumers: proposal.created on the proposal branch, main untouched', async () => {
    const mainBefore = await reg.head('refs/heads/main');
    const out = await publish(await reg.open(ANA), breakingUsers());
    proposalId = out.result.proposal!.id;
    const branch = await reg.head(proposalBranch(proposalId));
    expect(out.result.proposal).toMatchObject({ required_teams: ['billing', 'growth'], superseded: false });
    expect(out.commits).toEqual({ [proposalBranch(proposalId)]: branch });
    expect(out.events).toEqual([{ type: 'proposal.created', actor: ANA.email, at: AT_ISO, asset: 'users', version: '2.0.0', proposal: proposalId, team: 'core', commit: branch }]);
    expect(await reg.head('refs/heads/main')).toBe(mainBefore);
    expect(await reg.eventsOf(branch!)).toEqual(['proposal.created']);
  });

  it('another breaking change while one is open is refused without --supersede, writing nothing', async () => {
    const before = await reg.refs();
    await expect(publish(await reg.open(ANA), { contract: { asset: 'users', schema: USERS_V2_NO_CREATED } })).rejects.toThrow(PolicyError);
    expect(await reg.refs()).toBe(before);
  });

  it('supersede: proposal.superseded, same proposal id, the branch moves', async () => {
    const out = await publish(await reg.open(ANA), { contract: { asset: 'users', schema: USERS_V2_NO_CREATED }, supersede: true });
    const branch = await reg.head(proposalBranch(proposalId));
    expect(out.result.proposal).toMatchObject({ id: proposalId, superseded: true });
    expect(out.events).toEqual([{ type: 'proposal.superseded', actor: ANA.email, at: AT_ISO, asset: 'users', version: '2.0.0', proposal: proposalId, team: 'core', commit: branch }]);
  });

  it('force over the open proposal: contract.forced naming it, on main; the proposal closes', async () => {
    const out = await publish(await reg.open(ANA), { contract: { asset: 'users', schema: USERS_V2_NO_CREATED }, force: true, reason: 'INC-42' });
    const main = await reg.head('refs/heads/main');
    expect(out.result.forced).toEqual({ missingTeams: ['billing', 'growth'], proposal: proposalId });
    expect(out.events).toEqual([{ type: 'contract.forced', actor: ANA.email, at: AT_ISO, asset: 'users', version: '2.0.0', proposal: proposalId, team: 'core', commit: main }]);
    // The commit's trailer names the proposal's end (as before this refactor); the event says what happened to the contract.
    expect(await reg.eventsOf(main!)).toEqual(['proposal.forced']);
    expect(await reg.head(proposalBranch(proposalId))).toBeUndefined();
  });

  it('force without an open proposal: contract.forced on main', async () => {
    const out = await publish(await reg.open(ANA), { contract: { asset: 'users', schema: { ...USERS_V2_NO_CREATED, required: ['user_id'] } }, force: true, reason: 'INC-43' });
    const main = await reg.head('refs/heads/main');
    expect(out.events).toEqual([{ type: 'contract.forced', actor: ANA.email, at: AT_ISO, asset: 'users', version: '3.0.0', team: 'core', commit: main }]);
    expect(await reg.eventsOf(main!)).toEqual(['contract.forced']);
  });

  it('bad requests are refused before anything is read or written', async () => {
    const before = await reg.refs();
    const ctx = await reg.open(ANA);
    await expect(publish(ctx, breakingUsers({ force: true }))).rejects.toThrow(InputError);
    await expect(publish(ctx, breakingUsers({ force: true, reason: '  ' }))).rejects.toThrow(/--force needs --reason/);
    await expect(publish(ctx, breakingUsers({ force: true, supersede: true, reason: 'x' }))).rejects.toThrow(/cannot be combined/);
    expect(await reg.refs()).toBe(before);
  });

  it('a non-member of the owner team cannot publish, and nothing is written', async () => {
    const before = await reg.refs();
    await expect(publish(await reg.open(LI), { contract: { asset: 'users', schema: USERS_V1 } })).rejects.toThrow(/not a member|member/);
    expect(await reg.refs()).toBe(before);
  });

  it('check judges without writing: no commits, no events', async () => {
    const before = await reg.refs();
    const out = await check(await reg.open(LI), breakingUsers().contract);
    expect(out.result.breaking).toBe(true);
    expect(out).toMatchObject({ commits: {}, events: [] });
    expect(await reg.refs()).toBe(before);
  });
});

describe('publish: a breaking change nobody consumes', () => {
  let reg: ProposalRegistry;
  beforeAll(async () => {
    reg = await proposalRegistry({ consumers: [] });
  }, 120_000);
  afterAll(() => reg.closeAll());

  it('goes live as a new major version: contract.published on main', async () => {
    const out = await publish(await reg.open(ANA), breakingUsers());
    const main = await reg.head('refs/heads/main');
    expect(out.result).toMatchObject({ action: 'contract.published', noConsumers: true });
    expect(out.events).toEqual([{ type: 'contract.published', actor: ANA.email, at: AT_ISO, asset: 'users', version: '2.0.0', team: 'core', commit: main }]);
  });
});

/**
 * Issue 4, "what it must show" 2: block, withdraw, expire, force with a
 * reason, supersede (old acks stop counting), refusals, late registration.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, gitIn, machine, refState, tempDir, writeJson, USERS_V1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

let root: string;
let registry: string;
let pat: Machine;
let bea: Machine;
let cid: Machine;
let v2: string;

async function ok(m: Machine, args: string[]): Promise<any> {
  const r = await m.run([...args, '--json']);
  expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

/** A fresh local registry: core owns users; team-b and team-c consume it; a breaking proposal is open. */
async function setup(): Promise<string> {
  root = tempDir();
  registry = path.join(root, 'registry.git');
  const env = { TESSERA_REGISTRY: registry };
  pat = machine(root, 'pat', 'pat@acme.com', env);
  bea = machine(root, 'bea', 'bea@acme.com', env);
  cid = machine(root, 'cid', 'cid@acme.com', env);
  expect((await pat.run(['init', registry])).exitCode).toBe(0);
  await ok(pat, ['team', 'add', 'core', '--member', 'pat@acme.com']);
  await ok(bea, ['team', 'add', 'team-b', '--member', 'bea@acme.com']);
  await ok(cid, ['team', 'add', 'team-c', '--member', 'cid@acme.com']);
  await ok(pat, ['publish', 'users', writeJson(root, 'v1.json', USERS_V1), '--owner', 'core']);
  await ok(bea, ['consume', 'users', '--team', 'team-b']);
  await ok(cid, ['consume', 'users', '--team', 'team-c']);
  v2 = writeJson(root, 'v2.json', USERS_V2_NO_EMAIL);
  const created = await ok(pat, ['publish', 'users', v2]);
  expect(created.action).toBe('proposal.created');
  return created.proposal.id as string;
}

const current = async (m: Machine) => (await ok(m, ['show', 'users'])).asset.current_version as string;

describe('proposal workflow', () => {
  let id: string;
  beforeEach(async () => {
    id = await setup();
  });

  it('the text output of a breaking publish gives each waiting team its own ack command', async () => {
    const again = await pat.run(['publish', 'users', v2, '--supersede']);
    expect(again.exitCode, again.stderr).toBe(0);
    const superseding = /Superseded proposal (p-[0-9a-f]+)/.exec(again.stdout)?.[1];
    expect(superseding, again.stdout).toBeDefined();
    expect(again.stdout).toContain(`tessera ack ${superseding} --team team-b`);
    expect(again.stdout).toContain(`tessera ack ${superseding} --team team-c`);
    expect(again.stdout).not.toContain('<team>');
  });

  it('show of the asset names its open proposal and who it waits for', async () => {
    const text = await bea.run(['show', 'users']);
    expect(text.stdout).toContain(`Open proposal ${id}: 1.0.0 -> 2.0.0, waiting for team-b, team-c (tessera show ${id})`);
    await ok(bea, ['ack', id, '--team', 'team-b']);
    const json = await ok(bea, ['show', 'users']);
    expect(json.open_proposal).toMatchObject({ id, from_version: '1.0.0', to_version: '2.0.0', pending: ['team-c'], blocked: [] });
    await ok(cid, ['ack', id, '--team', 'team-c']);
    expect((await ok(bea, ['show', 'users'])).open_proposal).toBeNull();
  });

  it('block holds the merge until the team approves', async () => {
    const noNote = await cid.run(['ack', id, '--team', 'team-c', '--decision', 'block']);
    expect(noNote.exitCode).toBe(2);
    expect(noNote.stderr).toMatch(/block needs --note/);
    await ok(cid, ['ack', id, '--team', 'team-c', '--decision', 'block', '--note', 'churn model reads email']);
    const afterB = await ok(bea, ['ack', id, '--team', 'team-b']);
    expect(afterB).toMatchObject({ merged: false, blocked: ['team-c'], pending: [] });
    const merge = await pat.run(['merge', id]);
    expect(merge.exitCode).toBe(1);
    expect(merge.stderr).toMatch(/team-c \(blocked\)/);
    expect(await current(pat)).toBe('1.0.0');
    const approved = await ok(cid, ['ack', id, '--team', 'team-c', '--decision', 'migrating', '--note', 'moving to user_id joins']);
    expect(approved.merged).toBe(true);
    expect(await current(pat)).toBe('2.0.0');
  });

  it('withdraw is for the owner team and leaves a record', async () => {
    const byConsumer = await bea.run(['withdraw', id]);
    expect(byConsumer.exitCode).toBe(1);
    expect(byConsumer.stderr).toMatch(/bea@acme\.com is not a member of team 'core'/);
    await ok(pat, ['withdraw', id, '--reason', 'keeping email after all']);
    const shown = await ok(pat, ['show', id]);
    expect(shown.proposal).toMatchObject({ status: 'withdrawn', reason: 'keeping email after all', closed_by: 'pat@acme.com' });
    expect(await gitIn(registry, ['for-each-ref', 'refs/heads/tessera/'])).toBe('');
    const late = await bea.run(['ack', id, '--team', 'team-b']);
    expect(late.exitCode).toBe(2);
    expect(late.stderr).toMatch(/proposal .* is withdrawn/);
    expect(await current(pat)).toBe('1.0.0');
  });

  it('expire closes proposals past their expiry only', async () => {
    const early = await ok(pat, ['expire']);
    expect(early.proposals).toEqual([]);
    const later = await pat.run(['expire', '--json'], undefined);
    expect(JSON.parse(later.stdout).proposals).toEqual([]);
    const future = machine(root, 'cron', 'cron@acme.com', { TESSERA_REGISTRY: registry, TESSERA_NOW: '2099-01-01T00:00:00Z' });
    const expired = await ok(future, ['expire']);
    expect(expired.proposals).toEqual([id]);
    expect((await ok(pat, ['show', id])).proposal.status).toBe('expired');
    expect(await current(pat)).toBe('1.0.0');
  });

  it('force with a reason publishes over missing acks and records who had not answered', async () => {
    await ok(bea, ['ack', id, '--team', 'team-b']);
    const noReason = await pat.run(['publish', 'users', v2, '--force']);
    expect(noReason.exitCode).toBe(2);
    const forced = await ok(pat, ['publish', 'users', v2, '--force', '--reason', 'GDPR erasure, INC-42']);
    expect(forced).toMatchObject({ action: 'contract.forced', missing_teams: ['team-c'], proposal: id });
    const shown = await ok(pat, ['show', 'users']);
    expect(shown.version).toMatchObject({ version: '2.0.0', via: 'forced', forced: { reason: 'GDPR erasure, INC-42', missing_teams: ['team-c'] } });
    expect((await ok(pat, ['show', id])).proposal.status).toBe('forced');
  });

  it('supersede replaces the proposal and earlier acks stop counting', async () => {
    await ok(bea, ['ack', id, '--team', 'team-b']);
    const v3 = writeJson(root, 'v3.json', { ...USERS_V2_NO_EMAIL, properties: { ...USERS_V2_NO_EMAIL.properties, region: { type: 'string' } } });
    const refused = await pat.run(['publish', 'users', v3]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`open proposal ${id}.*--supersede`));
    const superseded = await ok(pat, ['publish', 'users', v3, '--supersede']);
    expect(superseded).toMatchObject({ action: 'proposal.superseded', proposal: { id } });
    const view = await ok(pat, ['show', id]);
    expect(view.answers.map((a: { team: string; state: string }) => `${a.team}:${a.state}`)).toEqual(['team-b:stale', 'team-c:pending']);
    await ok(cid, ['ack', id, '--team', 'team-c']);
    expect(await current(pat)).toBe('1.0.0');
    const again = await ok(bea, ['ack', id, '--team', 'team-b']);
    expect(again.merged).toBe(true);
    expect(Object.keys((await ok(pat, ['show', 'users'])).version.schema.properties)).toContain('region');
  });

  it('refuses an ack by a non-member and by a team that is not a consumer, changing nothing', async () => {
    const before = await refState(registry);
    const eve = machine(root, 'eve', 'eve@evil.com', { TESSERA_REGISTRY: registry });
    const nonMember = await eve.run(['ack', id, '--team', 'team-b']);
    expect(nonMember.exitCode).toBe(1);
    expect(nonMember.stderr).toMatch(/eve@evil\.com is not a member of team 'team-b'/);
    await ok(pat, ['team', 'add', 'team-d', '--member', 'pat@acme.com']);
    const afterTeam = await refState(registry);
    const notConsumer = await pat.run(['ack', id, '--team', 'team-d']);
    expect(notConsumer.exitCode).toBe(1);
    expect(notConsumer.stderr).toMatch(/team 'team-d' is not a registered consumer of 'users'/);
    expect(await refState(registry)).toBe(afterTeam);
    expect(before).not.toBe(afterTeam);
  });

  it('a late registration must ack too; an unregistration no longer has to', async () => {
    await ok(pat, ['team', 'add', 'team-d', '--member', 'pat@acme.com']);
    await ok(pat, ['consume', 'users', '--team', 'team-d']);
    await ok(bea, ['ack', id, '--team', 'team-b']);
    const afterC = await ok(cid, ['ack', id, '--team', 'team-c']);
    expect(afterC).toMatchObject({ merged: false, pending: ['team-d'] });
    // team-d leaves instead of answering: nobody is missing any more.
    await ok(pat, ['unconsume', 'users', '--team', 'team-d']);
    const merged = await ok(pat, ['merge', id]);
    expect(merged.action).toBe('proposal.merged');
    expect(await current(pat)).toBe('2.0.0');
  });
});

/**
 * Concurrency (issue 14, "What it must show" 3): 30 teams ack one proposal
 * at once, each with a channel, then three `notify` processes run at once. After deduplication
 * on webhook-id every event arrives exactly once per channel, each delivery
 * is recorded exactly once, and no run fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, gitIn, machine, tempDir, writeJson, USERS_V1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { runJson } from '../sync/helpers.js';
import { receiver, runNotify, type Receiver } from './helpers/receivers.js';

const TEAMS = Array.from({ length: 30 }, (_, i) => `team-${i}`);
let registry: string;
let pat: Machine;
let members: Machine[];
let owner: Receiver;
let receivers: Receiver[];
let env: Record<string, string>;
let proposal: string;

afterAll(async () => {
  await Promise.all([owner, ...(receivers ?? [])].map((r) => r?.close()));
  cleanupTempDirs();
});

beforeAll(async () => {
  const root = tempDir();
  registry = path.join(root, 'registry.git');
  const e = { TESSERA_REGISTRY: registry };
  pat = machine(root, 'pat', 'pat@acme.com', e);
  members = TEAMS.map((t) => machine(root, t, `${t}@acme.com`, e));
  owner = await receiver();
  receivers = await Promise.all(TEAMS.map(() => receiver()));
  env = { OWNER_URL: owner.url, ...Object.fromEntries(TEAMS.map((t, i) => [`${t.toUpperCase().replace('-', '_')}_URL`, receivers[i]!.url])) };
  expect((await pat.run(['init', registry])).exitCode).toBe(0);
  await runJson(pat, ['team', 'add', 'core', '--member', 'pat@acme.com']);
  await runJson(pat, ['publish', 'users', writeJson(root, 'v1.json', USERS_V1), '--owner', 'core']);
  await runJson(pat, ['channel', 'add', 'owner', '--type', 'webhook', '--team', 'core', '--url-env', 'OWNER_URL']);
  // Six teams set themselves up at a time (their writes race on main and retry), each in its own order.
  const setUp = async (i: number) => {
    const m = members[i]!;
    const t = TEAMS[i]!;
    await runJson(m, ['team', 'add', t, '--member', m.email]);
    await runJson(m, ['consume', 'users', '--team', t]);
    await runJson(m, ['channel', 'add', `${t}-hooks`, '--type', 'webhook', '--team', t, '--url-env', `${t.toUpperCase().replace('-', '_')}_URL`]);
  };
  for (let i = 0; i < TEAMS.length; i += 6) await Promise.all(TEAMS.slice(i, i + 6).map((_, k) => setUp(i + k)));
  proposal = (await runJson(pat, ['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL)])).proposal.id;
  const acks = await Promise.all(TEAMS.map((t, i) => members[i]!.run(['ack', proposal, '--team', t, '--json'])));
  for (const a of acks) expect(a.exitCode, a.stderr).toBe(0);
  expect(await gitIn(registry, ['show', `main:proposals/${proposal}.yaml`])).toMatch(/status: merged/);
}, 300_000);

describe('three notify processes at once', () => {
  let runs: Awaited<ReturnType<typeof runNotify>>[];

  it('no run fails', async () => {
    runs = await Promise.all([0, 1, 2].map(() => runNotify(pat, registry, env)));
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
  });

  it('after dedup on webhook-id: every proposal.acked once at the owner, proposal.created and proposal.merged once per channel', () => {
    const acked = owner.received.filter((x) => x.type === 'proposal.acked');
    expect(owner.uniqueOfType('proposal.acked')).toHaveLength(TEAMS.length);
    expect(new Set(acked.map((x) => x.body.data.team))).toEqual(new Set(TEAMS));
    for (const r of [owner, ...receivers]) {
      expect(r.uniqueOfType('proposal.created')).toHaveLength(1);
      expect(r.uniqueOfType('proposal.merged')).toHaveLength(1);
    }
    for (const r of receivers) expect(r.uniqueOfType('proposal.acked')).toHaveLength(0);
  });

  it('each delivery is recorded exactly once: one record per event and channel, all delivered at the first attempt', async () => {
    const expected = 1 + TEAMS.length + 1 + TEAMS.length * 2;
    const recorded = runs.flatMap((r) => r.result.attempts).filter((a: any) => a.state === 'delivered');
    expect(recorded).toHaveLength(expected);
    expect(new Set(recorded.map((a: any) => `${a.channel} ${a.event}`)).size).toBe(expected);
    const files = (await gitIn(registry, ['ls-tree', '-r', '--name-only', 'refs/tessera/notify/deliveries'])).trim().split('\n');
    expect(files).toHaveLength(expected);
    const bodies = await Promise.all(files.map((f) => gitIn(registry, ['show', `refs/tessera/notify/deliveries:${f}`])));
    for (const b of bodies) {
      expect(b).toMatch(/^state: delivered$/m);
      expect(b).toMatch(/^attempts: 1$/m);
    }
  });

  it('a fourth run sends nothing', async () => {
    const before = [owner, ...receivers].map((r) => r.requests);
    const run = await runNotify(pat, registry, env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.result.attempts).toEqual([]);
    expect([owner, ...receivers].map((r) => r.requests)).toEqual(before);
  });
});

/**
 * The seed story, told (issue 14, "What it must show" 1), with real git and
 * real HTTP receivers on 127.0.0.1: each team's channel hears of the
 * proposal once, the owner of each ack, everyone of the merge, and a second
 * run sends nothing. `notify` runs as its own process: the built engine with
 * the test webhook transport (helpers/run-notify.mjs), which also stands in
 * for Slack: this shows the routing; the Slack format is src/notify/'s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, gitIn, tempDir, writeJson, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { runJson } from '../sync/helpers.js';
import { receiver, runNotify, usersRegistry, type Receiver } from './helpers/receivers.js';

let registry: string;
let root: string;
let pat: Machine;
let bea: Machine;
let cid: Machine;
let core: Receiver;
let growth: Receiver;
let finance: Receiver;
let financeSlack: Receiver;
let env: Record<string, string>;
let proposal: string;

afterAll(async () => {
  await Promise.all([core, growth, finance, financeSlack].map((r) => r?.close()));
  cleanupTempDirs();
});

beforeAll(async () => {
  root = tempDir();
  ({ registry, pat, bea, cid } = await usersRegistry(root));
  [core, growth, finance, financeSlack] = await Promise.all([receiver(), receiver(), receiver(), receiver()]);
  env = { CORE_URL: core.url, GROWTH_URL: growth.url, FINANCE_URL: finance.url, FINANCE_SLACK_URL: financeSlack.url };
  await runJson(pat, ['channel', 'add', 'core-hooks', '--type', 'webhook', '--team', 'core', '--url-env', 'CORE_URL']);
  await runJson(bea, ['channel', 'add', 'growth-hooks', '--type', 'webhook', '--team', 'growth', '--url-env', 'GROWTH_URL']);
  await runJson(cid, ['channel', 'add', 'finance-hooks', '--type', 'webhook', '--team', 'finance', '--url-env', 'FINANCE_URL']);
  await runJson(cid, ['channel', 'add', 'finance-slack', '--type', 'slack', '--team', 'finance', '--url-env', 'FINANCE_SLACK_URL']);
});

const types = (r: Receiver) => r.received.map((x) => x.type);

describe('the seed story, told', () => {
  it('nothing before the channels were added is sent (v1 and the registrations are history)', async () => {
    const run = await runNotify(pat, registry, env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.result.attempts).toEqual([]);
    expect([core, growth, finance].map((r) => r.requests)).toEqual([0, 0, 0]);
  });

  it('removing email opens a proposal: each team and the owner get exactly one proposal.created', async () => {
    proposal = (await runJson(pat, ['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL)])).proposal.id;
    const run = await runNotify(pat, registry, env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    for (const r of [core, growth, finance, financeSlack]) expect(types(r)).toEqual(['proposal.created']);
    const sent = growth.received[0]!;
    // The same event on every channel: one id, the receivers' idempotency key.
    expect(new Set([core, growth, finance, financeSlack].map((r) => r.received[0]!.id))).toEqual(new Set([sent.id]));
    expect(sent.id).toMatch(/^evt_[0-9a-f]{24}$/);
    expect(sent.body.data).toMatchObject({
      type: 'proposal.created',
      asset: 'users',
      version: '2.0.0',
      from_version: '1.0.0',
      proposal,
      owner: 'core',
      audience: ['core', 'finance', 'growth'],
      data: { required_teams: ['finance', 'growth'], pending: ['finance', 'growth'] },
    });
    expect(sent.body.data.data.changes).toContainEqual(expect.objectContaining({ rule: expect.any(String), path: expect.stringContaining('email'), breaking: true }));
  });

  it('growth acks: the owner channel gets proposal.acked, the others nothing', async () => {
    await runJson(bea, ['ack', proposal, '--team', 'growth']);
    const run = await runNotify(pat, registry, env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(types(core)).toEqual(['proposal.created', 'proposal.acked']);
    expect(core.received[1]!.body.data).toMatchObject({ team: 'growth', proposal, audience: ['core'], data: { decision: 'approve', pending: ['finance'], required_teams: ['finance', 'growth'] } });
    expect(types(growth)).toEqual(['proposal.created']);
    expect(types(finance)).toEqual(['proposal.created']);
    expect(types(financeSlack)).toEqual(['proposal.created']);
  });

  it('finance acks and the proposal merges: every channel gets proposal.merged, the owner finance\'s ack too', async () => {
    const ack = await runJson(cid, ['ack', proposal, '--team', 'finance']);
    expect(ack.merged).toBe(true);
    const run = await runNotify(pat, registry, env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(types(core).slice(2).sort()).toEqual(['proposal.acked', 'proposal.merged']);
    expect(core.received.find((x) => x.type === 'proposal.acked' && x.body.data.team === 'finance')!.body.data.data.pending).toEqual([]);
    expect(types(growth)).toEqual(['proposal.created', 'proposal.merged']);
    expect(types(finance)).toEqual(['proposal.created', 'proposal.merged']);
    expect(types(financeSlack)).toEqual(['proposal.created', 'proposal.merged']);
    expect(growth.received[1]!.body.data).toMatchObject({ proposal, version: '2.0.0', audience: ['core', 'finance', 'growth'] });
  });

  it('running notify again sends nothing', async () => {
    const before = [core, growth, finance, financeSlack].map((r) => r.requests);
    const deliveries = await gitIn(registry, ['rev-parse', 'refs/tessera/notify/deliveries']);
    const run = await runNotify(pat, registry, env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ attempts: [], pending: 0, dead: 0, delivered: 10 });
    expect([core, growth, finance, financeSlack].map((r) => r.requests)).toEqual(before);
    expect(await gitIn(registry, ['rev-parse', 'refs/tessera/notify/deliveries'])).toBe(deliveries);
  });

  it('notify --status: nothing pending, nothing dead, every delivery recorded', async () => {
    const r = await pat.run(['notify', '--status', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ pending: [], dead: [], delivered: 10, errors: [] });
    const text = await pat.run(['notify', '--status']);
    expect(text.stdout).toBe('0 pending, 0 dead-lettered, 10 delivered');
  });

  it('a channel added now starts from now: it is sent none of the history', async () => {
    const late = await receiver();
    try {
      await runJson(bea, ['channel', 'add', 'growth-late', '--type', 'webhook', '--team', 'growth', '--url-env', 'LATE_URL']);
      const run = await runNotify(pat, registry, { ...env, LATE_URL: late.url });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.result.attempts).toEqual([]);
      expect(late.requests).toBe(0);
    } finally {
      await late.close();
    }
  });
});

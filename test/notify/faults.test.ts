/**
 * Faults (issue 14, "What it must show" 2 and 6): a receiver answering 500
 * twice then 200, a 404, one that hangs, a channel whose variable is unset,
 * a malformed channel file. Real receivers on 127.0.0.1; `notify` as its own
 * process; time moved on between runs with TESSERA_NOW so retries come due.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, gitIn, tempDir, writeJson, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { runJson } from '../sync/helpers.js';
import { pushByHand, receiver, runNotify, usersRegistry, type Receiver } from './helpers/receivers.js';

let registry: string;
let root: string;
let pat: Machine;
let bea: Machine;
let good: Receiver;
let flaky: Receiver;
let gone: Receiver;
let hang: Receiver;
let env: Record<string, string>;
let start: number;
const TIMEOUT_MS = 2000;
const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();

afterAll(async () => {
  await Promise.all([good, flaky, gone, hang].map((r) => r?.close()));
  cleanupTempDirs();
});

beforeAll(async () => {
  root = tempDir();
  ({ registry, pat, bea } = await usersRegistry(root, ['growth']));
  [good, flaky, gone, hang] = await Promise.all([receiver(), receiver([500, 500]), receiver([404]), receiver(['hang', 'hang', 'hang'])]);
  env = { GOOD_URL: good.url, FLAKY_URL: flaky.url, GONE_URL: gone.url, HANG_URL: hang.url };
  for (const name of ['good', 'flaky', 'gone', 'hang', 'unset']) {
    await runJson(bea, ['channel', 'add', name, '--type', 'webhook', '--team', 'growth', '--url-env', `${name.toUpperCase()}_URL`]);
  }
  // A channel file pushed by hand that does not parse: notify must skip it and deliver to the rest.
  await pushByHand(root, registry, 'channels/broken.yaml', 'name: broken\ntype: webhook\nteams: []\n');
  await runJson(pat, ['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL)]);
  start = Date.now();
});

const state = (run: { result: any }, channel: string) => run.result.attempts.find((a: any) => a.channel === channel)?.state;

describe('faults', () => {
  it('first run: delivered where it can be, within its timeout despite a hanging receiver; one line per skipped channel', async () => {
    const t0 = Date.now();
    const run = await runNotify(pat, registry, { ...env, TESSERA_NOW: at(0) }, TIMEOUT_MS);
    const elapsed = Date.now() - t0;
    expect(run.exitCode, run.stderr).toBe(0);
    // The brief's deadline check: the hanging receiver costs one timeout, not the run.
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 8000);
    expect(hang.requests).toBe(1);
    expect(good.uniqueOfType('proposal.created')).toHaveLength(1);
    expect({ good: state(run, 'good'), flaky: state(run, 'flaky'), gone: state(run, 'gone'), hang: state(run, 'hang'), unset: state(run, 'unset') }).toEqual({
      good: 'delivered',
      flaky: 'retrying',
      gone: 'dead',
      hang: 'retrying',
      unset: undefined,
    });
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(/^tessera: registry file channels\/broken\.yaml is invalid at teams: .*; that channel is skipped$/));
    expect(lines).toContain('tessera: channel unset: UNSET_URL is not set here; 1 delivery stays pending');
  });

  it('a retry is not due before its backoff: an immediate run sends nothing new', async () => {
    const before = [flaky.requests, hang.requests, gone.requests];
    const run = await runNotify(pat, registry, { ...env, TESSERA_NOW: at(0.5) }, TIMEOUT_MS);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.result.attempts).toEqual([]);
    expect([flaky.requests, hang.requests, gone.requests]).toEqual(before);
  });

  it('500 twice then 200: delivered on the third run; the 404 is never retried', async () => {
    const second = await runNotify(pat, registry, { ...env, TESSERA_NOW: at(5) }, TIMEOUT_MS);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(state(second, 'flaky')).toBe('retrying');
    expect(flaky.received).toHaveLength(0);
    const third = await runNotify(pat, registry, { ...env, TESSERA_NOW: at(15) }, TIMEOUT_MS);
    expect(third.exitCode, third.stderr).toBe(0);
    expect(state(third, 'flaky')).toBe('delivered');
    expect(flaky.requests).toBe(3);
    expect(flaky.uniqueOfType('proposal.created')).toHaveLength(1);
    expect(gone.requests).toBe(1);
    expect(good.requests).toBe(1);
  });

  it('notify --status lists the 404 as dead-lettered with its last error, and the hanging and unset ones as pending', async () => {
    const r = await pat.run(['notify', '--status', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.dead).toEqual([expect.objectContaining({ channel: 'gone', type: 'proposal.created', asset: 'users', attempts: 1, status: 404, last_error: 'HTTP 404' })]);
    expect(s.pending.map((p: any) => p.channel).sort()).toEqual(['hang', 'unset']);
    expect(s.pending.find((p: any) => p.channel === 'hang')).toMatchObject({ attempts: 3, last_error: `no answer within ${TIMEOUT_MS / 1000}s` });
    expect(s.pending.find((p: any) => p.channel === 'unset')).toMatchObject({ attempts: 0 });
    expect(s.delivered).toBe(2);
    expect(s.errors).toEqual([expect.stringMatching(/channels\/broken\.yaml/)]);
    const text = await pat.run(['notify', '--status']);
    expect(text.stdout.split('\n')[0]).toBe('2 pending, 1 dead-lettered, 2 delivered');
    expect(text.stdout).toMatch(/^Dead-lettered \(not retried\):\n {2}gone {2}proposal\.created {2}users p-[0-9a-f]+ {2}evt_[0-9a-f]{24} {2}attempts 1 {2}last error: HTTP 404$/m);
  });

  it('the unset variable, through the real binary: a one-line warning, nothing recorded, still pending', async () => {
    const before = await gitIn(registry, ['rev-parse', 'refs/tessera/notify/deliveries']);
    const r = await pat.run(['notify']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr.split('\n')).toContain('tessera: channel unset: UNSET_URL is not set here; 1 delivery stays pending');
    expect(r.stderr.split('\n').filter((l) => l.includes('channel unset'))).toHaveLength(1);
    expect(await gitIn(registry, ['rev-parse', 'refs/tessera/notify/deliveries'])).toBe(before);
  });

  it('a variable that is not an http(s) URL is a warning at delivery, not a send', async () => {
    const run = await runNotify(pat, registry, { ...env, UNSET_URL: 'ftp://example.com/x', TESSERA_NOW: at(16) }, TIMEOUT_MS);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('tessera: channel unset: UNSET_URL is not an http(s) URL; 1 delivery stays pending');
  });
});

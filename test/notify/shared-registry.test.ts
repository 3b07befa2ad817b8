/**
 * `tessera notify` on a shared registry (git daemon on 127.0.0.1), from
 * three machines at once, each with its own cache clone: the deliveries ref
 * is pushed with a lease like every other write, so each delivery is recorded
 * once on the remote, and a fourth machine that never ran notify sees the
 * records and sends nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { bareRemote, cleanupTempDirs, gitIn, machine, tempDir, writeJson, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { runJson } from '../sync/helpers.js';
import { startDaemon, type Daemon } from '../helpers/daemon.js';
import { receiver, runNotify, usersRegistry, type Receiver } from './helpers/receivers.js';

let daemon: Daemon;
let remote: string;
let url: string;
let root: string;
let machines: Machine[];
let core: Receiver;
let growth: Receiver;
let finance: Receiver;
let env: Record<string, string>;

afterAll(async () => {
  await Promise.all([core, growth, finance].map((r) => r?.close()));
  await daemon?.stop();
  cleanupTempDirs();
});

beforeAll(async () => {
  root = tempDir();
  const served = path.join(root, 'served');
  remote = await bareRemote(served, 'registry.git');
  daemon = await startDaemon(served);
  url = daemon.url('registry.git');
  const { pat, bea, cid } = await usersRegistry(root, ['growth', 'finance'], url);
  machines = [pat, bea, cid];
  [core, growth, finance] = await Promise.all([receiver(), receiver(), receiver()]);
  env = { CORE_URL: core.url, GROWTH_URL: growth.url, FINANCE_URL: finance.url };
  await runJson(pat, ['channel', 'add', 'core-hooks', '--type', 'webhook', '--team', 'core', '--url-env', 'CORE_URL']);
  await runJson(bea, ['channel', 'add', 'growth-hooks', '--type', 'webhook', '--team', 'growth', '--url-env', 'GROWTH_URL']);
  await runJson(cid, ['channel', 'add', 'finance-hooks', '--type', 'webhook', '--team', 'finance', '--url-env', 'FINANCE_URL']);
  await runJson(pat, ['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL)]);
});

describe('notify from several machines on a shared registry', () => {
  it('three machines at once: no run fails, one proposal.created per channel after dedup, each delivery recorded once on the remote', async () => {
    const runs = await Promise.all(machines.map((m) => runNotify(m, url, env)));
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    for (const r of [core, growth, finance]) expect(r.uniqueOfType('proposal.created')).toHaveLength(1);
    const delivered = runs.flatMap((r) => r.result.attempts).filter((a: any) => a.state === 'delivered');
    expect(delivered.map((a: any) => a.channel).sort()).toEqual(['core-hooks', 'finance-hooks', 'growth-hooks']);
    const files = (await gitIn(remote, ['ls-tree', '-r', '--name-only', 'refs/tessera/notify/deliveries'])).trim().split('\n');
    expect(files.map((f) => f.split('/')[1]).sort()).toEqual(['core-hooks', 'finance-hooks', 'growth-hooks']);
  });

  it('a machine that never ran notify fetches the records and sends nothing', async () => {
    const dan = machine(root, 'dan', 'dan@acme.com', { TESSERA_REGISTRY: url });
    const before = [core, growth, finance].map((r) => r.requests);
    const run = await runNotify(dan, url, env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ attempts: [], pending: 0, delivered: 3 });
    expect([core, growth, finance].map((r) => r.requests)).toEqual(before);
    const status = await dan.run(['notify', '--status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ pending: [], dead: [], delivered: 3 });
  });
});

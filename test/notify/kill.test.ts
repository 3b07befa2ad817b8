/**
 * A `notify` killed with SIGKILL while a receiver holds its request (the
 * send happened, nothing was recorded) loses nothing: the next run sends the
 * event again with the same webhook-id and records it once. (The 20-trial
 * kill of a breaking publish is in inline.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { execa } from 'execa';
import { cleanupTempDirs, gitIn, tempDir, writeJson, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { runJson } from '../sync/helpers.js';
import { receiver, runNotify, usersRegistry, type Receiver } from './helpers/receivers.js';

let registry: string;
let pat: Machine;
let hook: Receiver;

afterAll(async () => {
  await hook?.close();
  cleanupTempDirs();
});

beforeAll(async () => {
  const root = tempDir();
  let bea: Machine;
  ({ registry, pat, bea } = await usersRegistry(root, ['growth']));
  hook = await receiver(['hang']);
  await runJson(bea, ['channel', 'add', 'growth-hooks', '--type', 'webhook', '--team', 'growth', '--url-env', 'HOOK_URL']);
  await runJson(pat, ['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL)]);
});

describe('kill -9 during delivery', () => {
  it('the next run delivers the event once, with the same id, and records it once', async () => {
    const child = execa(process.execPath, [path.join(import.meta.dirname, 'helpers', 'run-notify.mjs'), registry, '60000'], { env: { ...pat.env, HOOK_URL: hook.url }, cwd: pat.env.HOME!, reject: false });
    // The request reached the receiver: the send is under way and nothing is recorded yet.
    while (hook.requests === 0) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    const killed = await child;
    expect(killed.signal).toBe('SIGKILL');
    expect(await gitIn(registry, ['for-each-ref', 'refs/tessera/notify/'])).toBe('');
    const run = await runNotify(pat, registry, { HOOK_URL: hook.url });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.result.attempts).toEqual([expect.objectContaining({ channel: 'growth-hooks', type: 'proposal.created', state: 'delivered' })]);
    expect(hook.requests).toBe(2);
    expect(new Set(hook.ids)).toEqual(new Set([run.result.attempts[0].event]));
    expect(hook.uniqueOfType('proposal.created')).toEqual([run.result.attempts[0].event]);
    const files = (await gitIn(registry, ['ls-tree', '-r', '--name-only', 'refs/tessera/notify/deliveries'])).trim().split('\n');
    expect(files).toEqual([`deliveries/growth-hooks/${run.result.attempts[0].event}.yaml`]);
  });
});

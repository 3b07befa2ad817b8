/**
 * A transport that finds a channel unusable here answers `skipped` (the
 * interface's DeliveryResult.skipped): one warning line, nothing recorded,
 * the delivery stays pending and is sent once the environment is fixed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  hook = await receiver();
  await runJson(bea, ['channel', 'add', 'signed', '--type', 'webhook', '--team', 'growth', '--url-env', 'HOOK_URL', '--secret-env', 'HOOK_SECRET']);
  await runJson(pat, ['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL)]);
});

describe('a skipped delivery', () => {
  it('is one warning line, records nothing, and stays pending', async () => {
    const run = await runNotify(pat, registry, { HOOK_URL: hook.url, HOOK_SECRET: 'not-a-secret' });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual(['tessera: channel signed: HOOK_SECRET is not a whsec_ secret; 1 delivery stays pending']);
    expect(run.result).toMatchObject({ attempts: [], pending: 1 });
    expect(hook.requests).toBe(0);
    expect(await gitIn(registry, ['for-each-ref', 'refs/tessera/notify/'])).toBe('');
    const status = JSON.parse((await pat.run(['notify', '--status', '--json'])).stdout);
    expect(status.pending).toEqual([expect.objectContaining({ channel: 'signed', attempts: 0 })]);
  });

  it('is sent once the secret is right', async () => {
    const run = await runNotify(pat, registry, { HOOK_URL: hook.url, HOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.result.attempts).toEqual([expect.objectContaining({ channel: 'signed', state: 'delivered' })]);
    expect(hook.uniqueOfType('proposal.created')).toHaveLength(1);
  });
});

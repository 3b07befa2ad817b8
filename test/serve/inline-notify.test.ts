/**
 * `tessera serve` delivers its writes' events as the CLI's writes do (issue
 * 14: "the process that performs a write also delivers inline"), after the
 * response and in the background: a breaking publish through the API tells
 * the consumer's channel, an ack through the API tells the owner's, and a
 * `tessera notify` afterwards has nothing left to send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, writeJson, USERS_V1, USERS_V2_NO_EMAIL } from '../helpers/machines.js';
import { runJson } from '../sync/helpers.js';
import { receiver, type Receiver } from '../notify/helpers/receivers.js';
import { call, must, startServe, teamRegistry, type Served } from './harness.js';
import { tessera } from '../helpers/cli.js';

let served: Served;
let growthHook: Receiver;
let ownerHook: Receiver;
let keys: Record<string, string>;
let registry: string;
let members: Awaited<ReturnType<typeof teamRegistry>>['members'];

/** Wait until `check` holds, or fail naming what was awaited (a deadline, not a speed bound). */
async function eventually(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not within ${ms / 1000} s: ${what}\n${served.stderr()}`);
}

beforeAll(async () => {
  const t = await teamRegistry('tessera-serve-notify-', { core: 'pat@acme.com', growth: 'bea@acme.com' });
  registry = t.registry;
  members = t.members;
  must(await members.core!.run(['publish', 'users', writeJson(t.root, 'v1.json', USERS_V1), '--owner', 'core']), 'publish');
  must(await members.growth!.run(['consume', 'users', '--team', 'growth']), 'consume');
  await runJson(members.growth!, ['channel', 'add', 'growth-hooks', '--type', 'webhook', '--team', 'growth', '--url-env', 'GROWTH_URL']);
  await runJson(members.core!, ['channel', 'add', 'core-hooks', '--type', 'webhook', '--team', 'core', '--url-env', 'OWNER_URL']);
  keys = {
    core: must(await members.core!.run(['key', 'create', '--team', 'core']), 'key core').trim(),
    growth: must(await members.growth!.run(['key', 'create', '--team', 'growth']), 'key growth').trim(),
  };
  growthHook = await receiver();
  ownerHook = await receiver();
  served = await startServe({ TESSERA_REGISTRY: registry, GROWTH_URL: growthHook.url, OWNER_URL: ownerHook.url });
}, 120_000);

afterAll(async () => {
  await served?.stop();
  await Promise.all([growthHook?.close(), ownerHook?.close()]);
  cleanupTempDirs();
});

describe('tessera serve delivers its own writes inline', () => {
  let proposal: string;

  it('a breaking publish through the API: the consumer hears proposal.created, and the server log says so', async () => {
    const r = await call(served.url, 'POST', '/api/v1/assets/users/contracts', { key: keys.core!, body: { schema: USERS_V2_NO_EMAIL } });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    proposal = r.body.proposal.id;
    await eventually('growth-hooks receives proposal.created', () => growthHook.uniqueOfType('proposal.created').length === 1);
    await eventually('the log line', () => /tessera: notified growth-hooks: proposal\.created \(evt_[0-9a-f]+\)/.test(served.stderr()));
    expect(ownerHook.uniqueOfType('proposal.created')).toHaveLength(1);
  });

  it("the consumer's ack through the API merges it: the owner hears proposal.acked and both hear proposal.merged", async () => {
    const r = await call(served.url, 'POST', `/api/v1/proposals/${proposal}/acknowledge`, { key: keys.growth!, body: { decision: 'approve' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.merged).toBe(true);
    await eventually('core-hooks receives proposal.acked and proposal.merged', () => ownerHook.uniqueOfType('proposal.acked').length === 1 && ownerHook.uniqueOfType('proposal.merged').length === 1);
    await eventually('growth-hooks receives proposal.merged', () => growthHook.uniqueOfType('proposal.merged').length === 1);
    // A receiver has an event before the server has recorded it; the log line comes after the record.
    await eventually('the merged deliveries are recorded', () => /notified core-hooks: proposal\.merged/.test(served.stderr()) && /notified growth-hooks: proposal\.merged/.test(served.stderr()));
  });

  it('tessera notify afterwards sends nothing: every delivery was recorded', async () => {
    const r = await tessera(['notify', '--json'], { env: { ...members.core!.env, GROWTH_URL: growthHook.url, OWNER_URL: ownerHook.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.attempts).toEqual([]);
    expect(out.pending).toBe(0);
  });
});

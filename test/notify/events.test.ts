/**
 * Every notified event type from a real registry, through the engine, to
 * real receivers: who hears of a compatible publish, a supersede, a
 * withdrawal, a forced publish, an expiry, and a failing dbt test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, machine, tempDir, writeJson, USERS_V1_1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { runJson } from '../sync/helpers.js';
import { DEMO_DIR } from '../dbt/helpers.js';
import { receiver, runNotify, usersRegistry, type Receiver } from './helpers/receivers.js';

afterAll(cleanupTempDirs);

const fresh = (r: Receiver, from: number) => r.received.slice(from).map((x) => x.type);

describe('proposal and contract events', () => {
  let root: string;
  let registry: string;
  let pat: Machine;
  let bea: Machine;
  let core: Receiver;
  let growth: Receiver;
  let env: Record<string, string>;
  let seen = [0, 0];
  const notifyAndTake = async () => {
    const run = await runNotify(pat, registry, env);
    expect(run.exitCode, run.stderr).toBe(0);
    const out = { core: fresh(core, seen[0]!), growth: fresh(growth, seen[1]!) };
    seen = [core.received.length, growth.received.length];
    return out;
  };

  beforeAll(async () => {
    root = tempDir();
    ({ registry, pat, bea } = await usersRegistry(root, ['growth']));
    [core, growth] = await Promise.all([receiver(), receiver()]);
    env = { CORE_URL: core.url, GROWTH_URL: growth.url };
    await runJson(pat, ['channel', 'add', 'core-hooks', '--type', 'webhook', '--team', 'core', '--url-env', 'CORE_URL']);
    await runJson(bea, ['channel', 'add', 'growth-hooks', '--type', 'webhook', '--team', 'growth', '--url-env', 'GROWTH_URL']);
  });
  afterAll(async () => Promise.all([core, growth].map((r) => r.close())));

  it('a compatible publish: contract.published to the consumers only', async () => {
    await runJson(pat, ['publish', 'users', writeJson(root, 'v1_1.json', USERS_V1_1)]);
    expect(await notifyAndTake()).toEqual({ core: [], growth: ['contract.published'] });
    expect(growth.received.at(-1)!.body.data).toMatchObject({ asset: 'users', version: '1.1.0', from_version: '1.0.0', audience: ['growth'] });
  });

  it('supersede, then withdraw before notify runs: proposal.withdrawn (with its reason) to the required teams and the owner', async () => {
    await runJson(pat, ['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL)]);
    const other = { ...USERS_V2_NO_EMAIL, properties: { ...USERS_V2_NO_EMAIL.properties, user_id: { type: 'string' } } };
    const id = (await runJson(pat, ['publish', 'users', writeJson(root, 'v2b.json', other), '--supersede'])).proposal.id;
    await runJson(pat, ['withdraw', id, '--reason', 'wrong approach']);
    const got = await notifyAndTake();
    // A known limit (docs/delivery.md): the branch was closed before this run, so its commits (created, superseded)
    // are no longer reachable; the closing event is on main and is delivered.
    expect(got).toEqual({ core: ['proposal.withdrawn'], growth: ['proposal.withdrawn'] });
    expect(growth.received.at(-1)!.body.data).toMatchObject({ type: 'proposal.withdrawn', proposal: id, data: { reason: 'wrong approach' } });
  });

  it('a forced publish: contract.forced, with its reason, to the consumers and the owner', async () => {
    await runJson(pat, ['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL), '--force', '--reason', 'GDPR erasure']);
    const got = await notifyAndTake();
    expect(got).toEqual({ core: ['contract.forced'], growth: ['contract.forced'] });
    expect(growth.received.at(-1)!.body.data).toMatchObject({ asset: 'users', version: '2.0.0', audience: ['core', 'growth'], data: { reason: 'GDPR erasure' } });
  });

  it('a supersede seen by notify: proposal.superseded to the required teams and the owner', async () => {
    const a = { ...USERS_V2_NO_EMAIL, properties: { ...USERS_V2_NO_EMAIL.properties, user_id: { type: 'number' } }, required: [] };
    const b = { ...a, properties: { ...a.properties, created_at: { type: 'integer' } } };
    const id = (await runJson(pat, ['publish', 'users', writeJson(root, 'sa.json', a)])).proposal.id;
    expect(await notifyAndTake()).toEqual({ core: ['proposal.created'], growth: ['proposal.created'] });
    await runJson(pat, ['publish', 'users', writeJson(root, 'sb.json', b), '--supersede']);
    expect(await notifyAndTake()).toEqual({ core: ['proposal.superseded'], growth: ['proposal.superseded'] });
    await runJson(pat, ['withdraw', id]);
    expect(await notifyAndTake()).toEqual({ core: ['proposal.withdrawn'], growth: ['proposal.withdrawn'] });
  });

  it('an expiry: proposal.created, then proposal.expired, to the required teams and the owner', async () => {
    const next = { ...USERS_V2_NO_EMAIL, required: [] };
    const id = (await runJson(pat, ['publish', 'users', writeJson(root, 'v3.json', next)])).proposal.id;
    expect(await notifyAndTake()).toEqual({ core: ['proposal.created'], growth: ['proposal.created'] });
    const later = new Date(Date.now() + 40 * 86_400_000).toISOString();
    const r = await (await import('../helpers/cli.js')).tessera(['expire', '--json'], { env: { ...pat.env, TESSERA_NOW: later }, cwd: pat.env.HOME! });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(r.stdout).proposals)).toContain(id);
    const got = await notifyAndTake();
    expect(got).toEqual({ core: ['proposal.expired'], growth: ['proposal.expired'] });
    expect(growth.received.at(-1)!.body.data).toMatchObject({ proposal: id, audience: ['core', 'growth'] });
  });
});

describe('quality.failed', () => {
  it('a failing dbt test: the consumers of that asset and its owner hear of it, with the failures', async () => {
    const root = tempDir();
    const registry = path.join(root, 'registry.git');
    const e = { TESSERA_REGISTRY: registry };
    const ci = machine(root, 'ci', 'ci-bot@acme.com', e);
    const bea = machine(root, 'bea', 'bea@acme.com', e);
    const [owner, growth] = await Promise.all([receiver(), receiver()]);
    try {
      expect((await ci.run(['init', registry])).exitCode).toBe(0);
      await runJson(ci, ['sync-dbt', path.join(DEMO_DIR, 'manifest.json'), '--owner-default', 'data-platform']);
      const orders = 'analytics.marts.orders';
      const ownerTeam = (await runJson(ci, ['show', orders])).asset.owner;
      await runJson(ci, ['team', 'add', ownerTeam, '--member', 'ci-bot@acme.com']);
      await runJson(bea, ['team', 'add', 'growth', '--member', 'bea@acme.com']);
      await runJson(bea, ['consume', orders, '--team', 'growth']);
      await runJson(ci, ['channel', 'add', 'owner-hooks', '--type', 'webhook', '--team', ownerTeam, '--url-env', 'OWNER_URL']);
      await runJson(bea, ['channel', 'add', 'growth-hooks', '--type', 'webhook', '--team', 'growth', '--url-env', 'GROWTH_URL']);
      await runJson(ci, ['record-results', path.join(DEMO_DIR, 'run_results.json'), '--manifest', path.join(DEMO_DIR, 'manifest.json')]);
      const run = await runNotify(ci, registry, { OWNER_URL: owner.url, GROWTH_URL: growth.url });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(growth.received.map((x) => x.type)).toEqual(['quality.failed']);
      expect(owner.received.map((x) => x.type)).toEqual(['quality.failed']);
      expect(growth.received[0]!.body.data).toMatchObject({ asset: orders, owner: ownerTeam, audience: expect.arrayContaining([ownerTeam, 'growth']) });
      expect(growth.received[0]!.body.data.data.failures).toContainEqual({ test: expect.stringContaining('accepted_values'), column: 'status', message: expect.stringMatching(/^accepted_values failed/) });
    } finally {
      await Promise.all([owner.close(), growth.close()]);
    }
  });
});

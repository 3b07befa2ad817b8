/**
 * Group commit (src/serve/group-commit.ts), in process over a real registry
 * with the app's own publish and consume: concurrent writes to different
 * assets land in fewer compare-and-swaps than writes, each still its own
 * commit with its own trailers and key, so log and verify see every one; a
 * write whose reads another write of the batch touched is re-planned per
 * request (the second identical publish is `unchanged`, not a second version).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, gitIn, USERS_V1, type Machine } from '../helpers/machines.js';
import { must, teamRegistry } from './harness.js';
import { Repository } from '../../src/registry/repository.js';
import { registryKeyAuth } from '../../src/serve/keys.js';
import { GroupCommitter } from '../../src/serve/group-commit.js';
import { publish } from '../../src/app/publish.js';
import { consume } from '../../src/app/consume.js';
import type { AppContext } from '../../src/app/context.js';
import type { KeyPrincipal } from '../../src/core/keys.js';

let root: string;
let registry: string;
let ana: Machine;
let repo: Repository;
let base: AppContext;
let growth: AppContext;
let finance: AppContext;

async function keyContext(team: string, m: Machine): Promise<AppContext> {
  const key = must(await m.run(['key', 'create', '--team', team]), 'key').trim();
  const auth = registryKeyAuth(base);
  const who = await auth.authenticate(`Bearer ${key}`, new Date());
  expect('keyId' in who, JSON.stringify(who)).toBe(true);
  return { ...base, identity: async () => auth.identityOf(who as KeyPrincipal) };
}

beforeAll(async () => {
  const made = await teamRegistry('tessera-serve-group-', { growth: 'ana@acme.com', finance: 'fay@acme.com' });
  ({ root, registry } = made);
  ana = made.members.growth!;
  const fay = made.members.finance!;
  repo = await Repository.openGitDir(registry);
  base = { repo, identity: async () => ({ name: 'nobody', email: 'nobody@acme.com' }), now: () => new Date() };
  growth = await keyContext('growth', ana);
  finance = await keyContext('finance', fay);
}, 60_000);

afterAll(() => {
  repo?.close();
  cleanupTempDirs();
});

const via = (ctx: AppContext, group: GroupCommitter): AppContext => ({ ...ctx, repo: group.view() });

describe('group commit', () => {
  it('30 concurrent publishes to different assets share compare-and-swaps, each its own attributed commit', async () => {
    const group = new GroupCommitter(repo);
    const before = (await gitIn(registry, ['rev-parse', 'refs/heads/main'])).trim();
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => publish(via(growth, group), { contract: { asset: `orders_${i}`, schema: USERS_V1, owner: 'growth' } })));
    expect(outcomes.map((o) => o.result.action)).toEqual(Array(30).fill('contract.published'));
    expect(group.stats.commits).toBe(30);
    expect(group.stats.batches).toBeLessThan(30);
    // Each outcome names its own commit, and its event carries it.
    const commits = outcomes.map((o) => o.commits['refs/heads/main']!);
    expect(new Set(commits).size).toBe(30);
    outcomes.forEach((o, i) => expect(o.events.map((e) => [e.type, e.asset, e.commit])).toEqual([['contract.published', `orders_${i}`, commits[i]]]));
    // A straight line of 30 commits on the old head, one per write.
    const line = (await gitIn(registry, ['rev-list', '--first-parent', `${before}..refs/heads/main`])).split('\n');
    expect(line.length).toBe(30);
    expect(new Set(line)).toEqual(new Set(commits));
    const log = JSON.parse(must(await ana.run(['log', '--event', 'contract.published', '--json']), 'log'));
    const entries = log.events.filter((e: any) => commits.includes(e.commit));
    expect(entries).toHaveLength(30);
    for (const e of entries) expect([e.assets.length, e.key?.team, e.team]).toEqual([1, 'growth', 'growth']);
    expect((await ana.run(['verify'])).exitCode).toBe(0);
    expect(await gitIn(registry, ['fsck', '--strict'])).toBe('');
  });

  it('a write whose reads the batch touched is re-planned per request: the second identical publish is unchanged', async () => {
    const group = new GroupCommitter(repo);
    const [a, b, c] = await Promise.all([
      publish(via(growth, group), { contract: { asset: 'twice', schema: USERS_V1, owner: 'growth' } }),
      publish(via(growth, group), { contract: { asset: 'twice', schema: USERS_V1, owner: 'growth' } }),
      consume(via(finance, group), { asset: 'orders_0', team: 'finance' }),
    ]);
    expect([a!.result.action, b!.result.action].sort()).toEqual(['contract.published', 'unchanged']);
    expect(c!.result.action).toBe('registered');
    // At least the losing publish; a batch can also lose its compare-and-swap to a background git gc's ref lock, and re-plan.
    expect(group.stats.replanned).toBeGreaterThanOrEqual(1);
    const versions = JSON.parse(must(await ana.run(['versions', 'twice', '--json']), 'versions'));
    expect(JSON.stringify(versions)).toContain('1.0.0');
    expect(JSON.stringify(versions)).not.toContain('1.0.1');
    expect((await ana.run(['verify'])).exitCode).toBe(0);
  });
});

/**
 * The server's read cache (src/serve/read-cache.ts) over a real registry
 * written by the real CLI beside it: a read limited to one asset is answered
 * from the commit's listing once that is built, and sees another writer's
 * commit as soon as main moves; ref listings are reused until main moves,
 * the server writes (invalidate) or the TTL passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { cleanupTempDirs, USERS_V1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { must, teamRegistry } from './harness.js';
import { Repository } from '../../src/registry/repository.js';
import { ReadCache } from '../../src/serve/read-cache.js';
import { PROPOSAL_BRANCH_PREFIX } from '../../src/core/proposal.js';

let root: string;
let registry: string;
let ana: Machine;
let repo: Repository;

async function publishFile(asset: string, schema: unknown): Promise<void> {
  const file = path.join(root, `${asset}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(schema));
  must(await ana.run(['publish', asset, file, '--owner', 'growth']), `publish ${asset}`);
}

beforeAll(async () => {
  const made = await teamRegistry('tessera-serve-read-cache-', { growth: 'ana@acme.com', finance: 'fay@acme.com' });
  ({ root, registry } = made);
  ana = made.members.growth!;
  const fay = made.members.finance!;
  await publishFile('users', USERS_V1);
  must(await fay.run(['consume', 'users', '--team', 'finance']), 'consume');
  repo = await Repository.openGitDir(registry);
}, 60_000);

afterAll(() => {
  repo?.close();
  cleanupTempDirs();
});

describe('read cache', () => {
  it("answers an asset read from the commit's listing, and sees another writer's commit once main moves", async () => {
    const cache = new ReadCache(repo);
    const view = cache.view();
    const first = await view.snapshot('refs/heads/main', ['assets/users']);
    expect(first.list('assets/users/versions')).toEqual(['assets/users/versions/1.0.0.yaml']);
    // The whole tree, once, for the parts.
    await view.snapshotAt(first.commit);
    const again = await view.snapshot('refs/heads/main', ['assets/users']);
    expect(cache.stats.hits).toBe(1);
    expect(again.list('assets/users')).toEqual(first.list('assets/users'));
    // Not an asset directory or a top-level entry: read as without the cache.
    await view.snapshot('refs/heads/main', ['assets/users/versions']);
    expect(cache.stats.hits).toBe(1);

    await publishFile('orders', USERS_V1);
    const moved = await view.snapshot('refs/heads/main', ['assets/orders']);
    expect(moved.commit).not.toBe(first.commit);
    expect(moved.has('assets/orders/asset.yaml')).toBe(true);
    expect(await view.head()).toBe(moved.commit);
    // The new commit's listing is built from the previous one in the background; then both assets come from it.
    const hits = cache.stats.hits;
    let orders = await view.snapshot('refs/heads/main', ['assets/orders']);
    for (let i = 0; i < 100 && cache.stats.hits === hits; i++) {
      await new Promise((r) => setTimeout(r, 20));
      orders = await view.snapshot('refs/heads/main', ['assets/orders']);
    }
    expect(cache.stats.hits).toBe(hits + 1);
    expect(orders.list('assets/orders')).toEqual(moved.list('assets/orders'));
    const users = await view.snapshot('refs/heads/main', ['assets/users']);
    expect(cache.stats.hits).toBe(hits + 2);
    expect(users.list('assets/users')).toEqual(first.list('assets/users'));
  });

  it('reuses a ref listing until main moves, the server writes, or the TTL passes', async () => {
    let clock = 0;
    const cache = new ReadCache(repo, { refsTtlMs: 1000, now: () => clock });
    const view = cache.view();
    expect([...(await view.refs(PROPOSAL_BRANCH_PREFIX)).keys()]).toEqual([]);
    // A proposal is a branch: main does not move, so the listing is reused within the TTL.
    await publishFile('users', USERS_V2_NO_EMAIL);
    expect([...(await view.refs(PROPOSAL_BRANCH_PREFIX)).keys()]).toEqual([]);
    clock += 1001;
    const listed = [...(await view.refs(PROPOSAL_BRANCH_PREFIX)).keys()];
    expect(listed).toHaveLength(1);
    must(await ana.run(['withdraw', listed[0]!.slice(PROPOSAL_BRANCH_PREFIX.length), '--reason', 'test']), 'withdraw');
    // A withdraw moves main (the closed record): seen at once.
    expect([...(await view.refs(PROPOSAL_BRANCH_PREFIX)).keys()]).toEqual([]);
    await publishFile('users', USERS_V2_NO_EMAIL);
    expect([...(await view.refs(PROPOSAL_BRANCH_PREFIX)).keys()]).toEqual([]);
    cache.invalidate();
    expect([...(await view.refs(PROPOSAL_BRANCH_PREFIX)).keys()]).toHaveLength(1);
  });
});

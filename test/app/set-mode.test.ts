/**
 * app/set-mode: one commit for the whole move, one asset.mode_changed event
 * per asset moved (all naming that commit); a dry run returns the same
 * events without a commit and writes nothing.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setMode } from '../../src/app/set-mode.js';
import { cleanupTempDirs, gitIn, refState, USERS_V1, writeJson } from '../helpers/machines.js';
import { ANA, AT_ISO, eventTrailers, head, LI, tempRegistry, usersRegistry, type TempRegistry } from './temp-registry.js';

afterAll(cleanupTempDirs);
let reg: TempRegistry;
afterEach(() => reg.closeAll());

/** users and orders (tables, consumer mode), clicks (a topic, backward), all owned by core (ana). */
async function threeAssets(): Promise<TempRegistry> {
  const r = await usersRegistry();
  for (const [id, kind] of [['orders', 'table'], ['clicks', 'topic']]) {
    const out = await r.person(ANA).run(['publish', id!, writeJson(r.root, `${id}.json`, USERS_V1), '--owner', 'core', '--kind', kind!]);
    expect(out.exitCode, out.stderr).toBe(0);
  }
  return r;
}

const changed = (asset?: string, commit?: string) => ({ type: 'asset.mode_changed', actor: 'ana@acme.com', at: AT_ISO, ...(asset ? { asset } : {}), ...(commit ? { commit } : {}) });

describe('app setMode', () => {
  it('moves named assets in one commit, with one event per asset moved', async () => {
    reg = await threeAssets();
    const before = await head(reg.gitDir);
    const out = await setMode(await reg.open(ANA), { mode: 'forward', assets: ['users', 'clicks'], tables: false });
    const after = await head(reg.gitDir);
    expect((await gitIn(reg.gitDir, ['rev-parse', `${after}^`])).trim()).toBe(before);
    expect(out.result.moves).toEqual([
      { asset: 'clicks', from: 'backward', to: 'forward' },
      { asset: 'users', from: 'consumer', to: 'forward' },
    ]);
    expect(out.commits).toEqual({ 'refs/heads/main': after });
    expect(out.events).toEqual([changed('clicks', after), changed('users', after)]);
    expect(await eventTrailers(reg.gitDir, after)).toEqual(['asset.mode_changed']);
    expect(await gitIn(reg.gitDir, ['show', `${after}:assets/users/asset.yaml`])).toContain('compatibility_mode: forward');

    const refs = await refState(reg.gitDir);
    const again = await setMode(await reg.open(ANA), { mode: 'forward', assets: ['users'], tables: false });
    expect(again.result).toMatchObject({ moves: [], unchanged: ['users'] });
    expect(again.events).toEqual([]);
    expect(again.commits).toEqual({});
    expect(await refState(reg.gitDir)).toBe(refs);
  });

  it('a dry run returns the events a real run would carry, without a commit, and writes nothing', async () => {
    reg = await threeAssets();
    const refs = await refState(reg.gitDir);
    const dry = await setMode(await reg.open(ANA), { mode: 'backward', assets: [], tables: true, dryRun: true });
    expect(dry.result.moves.map((m) => m.asset)).toEqual(['orders', 'users']);
    expect(dry.result.tableDefault).toEqual({ from: 'consumer', to: 'backward' });
    expect(dry.commits).toEqual({});
    expect(dry.events).toEqual([changed('orders'), changed('users')]);
    expect(await refState(reg.gitDir)).toBe(refs);

    const real = await setMode(await reg.open(ANA), { mode: 'backward', assets: [], tables: true });
    const after = await head(reg.gitDir);
    expect(real.events).toEqual([changed('orders', after), changed('users', after)]);
    expect(await gitIn(reg.gitDir, ['show', `${after}:tessera.yaml`])).toContain('table_compatibility_mode: backward');
  });

  it('a commit that only changes the table default carries one event without an asset', async () => {
    reg = await tempRegistry();
    const out = await setMode(await reg.open(ANA), { mode: 'backward', assets: [], tables: true });
    const after = await head(reg.gitDir);
    expect(out.result).toMatchObject({ moves: [], unchanged: [], tableDefault: { from: 'consumer', to: 'backward' } });
    expect(out.events).toEqual([changed(undefined, after)]);
    expect(out.commits).toEqual({ 'refs/heads/main': after });
  });

  it('refuses no selection, an unknown asset, a bad id and a non-member, with the registry unchanged', async () => {
    reg = await threeAssets();
    const refs = await refState(reg.gitDir);
    const ana = await reg.open(ANA);
    await expect(setMode(ana, { mode: 'forward', assets: [], tables: false })).rejects.toThrow(/set-mode needs assets or --tables/);
    await expect(setMode(ana, { mode: 'forward', assets: ['payments'], tables: false })).rejects.toThrow(/unknown asset 'payments'/);
    await expect(setMode(ana, { mode: 'forward', assets: ['Users!'], tables: false })).rejects.toThrow(/asset id .* is not allowed/);
    await expect(setMode(await reg.open(LI), { mode: 'forward', assets: ['users'], tables: false })).rejects.toThrow(/li@acme\.com/);
    expect(await refState(reg.gitDir)).toBe(refs);
  });
});

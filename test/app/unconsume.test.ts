/** app/unconsume: removing a registration is one commit on main carrying consumer.unregistered for that asset and team. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { consume } from '../../src/app/consume.js';
import { unconsume } from '../../src/app/unconsume.js';
import { cleanupTempDirs, gitIn, refState } from '../helpers/machines.js';
import { ANA, AT_ISO, eventTrailers, head, LI, usersRegistry, type TempRegistry } from './temp-registry.js';

afterAll(cleanupTempDirs);
let reg: TempRegistry;
afterEach(() => reg.closeAll());

async function growthConsumesUsers(): Promise<TempRegistry> {
  const r = await usersRegistry();
  await consume(await r.open(LI), { asset: 'users', team: 'growth' });
  return r;
}

describe('app unconsume', () => {
  it('removes the registration in one commit and says so as an event', async () => {
    reg = await growthConsumesUsers();
    const before = await head(reg.gitDir);
    const out = await unconsume(await reg.open(LI), { asset: 'users', team: 'growth' });
    const after = await head(reg.gitDir);
    expect((await gitIn(reg.gitDir, ['rev-parse', `${after}^`])).trim()).toBe(before);
    expect(out.result).toEqual({ asset: 'users', team: 'growth' });
    expect(out.commits).toEqual({ 'refs/heads/main': after });
    expect(out.events).toEqual([{ type: 'consumer.unregistered', actor: 'li@acme.com', at: AT_ISO, asset: 'users', team: 'growth', commit: after }]);
    expect(await eventTrailers(reg.gitDir, after)).toEqual(['consumer.unregistered']);
    expect(await gitIn(reg.gitDir, ['ls-tree', '-r', '--name-only', after, 'assets/users/consumers/'])).toBe('');
  });

  it('refuses a team that is not a consumer and a non-member, with the registry unchanged', async () => {
    reg = await growthConsumesUsers();
    const refs = await refState(reg.gitDir);
    await expect(unconsume(await reg.open(ANA), { asset: 'users', team: 'core' })).rejects.toThrow(/team 'core' is not a consumer of 'users'/);
    await expect(unconsume(await reg.open(ANA), { asset: 'users', team: 'growth' })).rejects.toThrow(/ana@acme\.com/);
    expect(await refState(reg.gitDir)).toBe(refs);
  });
});

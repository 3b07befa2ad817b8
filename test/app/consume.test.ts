/** app/consume: registering (and updating) a consumer is one commit on main carrying consumer.registered for that asset and team. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { consume } from '../../src/app/consume.js';
import { cleanupTempDirs, gitIn, refState } from '../helpers/machines.js';
import { ANA, AT_ISO, eventTrailers, head, LI, usersRegistry, type TempRegistry } from './temp-registry.js';

afterAll(cleanupTempDirs);
let reg: TempRegistry;
afterEach(() => reg.closeAll());

describe('app consume', () => {
  it('registers, updates and leaves alone a registration; each write is an event naming asset, team and commit', async () => {
    reg = await usersRegistry();
    const li = await reg.open(LI);

    const registered = await consume(li, { asset: 'users', team: 'growth', purpose: 'dashboards' });
    const first = await head(reg.gitDir);
    expect(registered.result).toEqual({ action: 'registered', consumer: { team: 'growth', asset: 'users', registered_by: 'li@acme.com', registered_at: AT_ISO, acks: [], purpose: 'dashboards' } });
    expect(registered.commits).toEqual({ 'refs/heads/main': first });
    expect(registered.events).toEqual([{ type: 'consumer.registered', actor: 'li@acme.com', at: AT_ISO, asset: 'users', team: 'growth', commit: first }]);
    expect(await eventTrailers(reg.gitDir, first)).toEqual(['consumer.registered']);
    expect(await gitIn(reg.gitDir, ['show', `${first}:assets/users/consumers/growth.yaml`])).toContain('purpose: dashboards');

    const updated = await consume(li, { asset: 'users', team: 'growth', fields: ['user_id', 'email'] });
    const second = await head(reg.gitDir);
    expect(updated.result.action).toBe('updated');
    expect(updated.result.consumer).toMatchObject({ purpose: 'dashboards', fields: ['user_id', 'email'] });
    expect(updated.events).toEqual([{ type: 'consumer.registered', actor: 'li@acme.com', at: AT_ISO, asset: 'users', team: 'growth', commit: second }]);

    const refs = await refState(reg.gitDir);
    const same = await consume(li, { asset: 'users', team: 'growth', fields: ['user_id', 'email'] });
    expect(same.result.action).toBe('unchanged');
    expect(same.events).toEqual([]);
    expect(same.commits).toEqual({});
    expect(await refState(reg.gitDir)).toBe(refs);
  });

  it('refuses an unknown asset, an unknown team, a bad id and a non-member, with the registry unchanged', async () => {
    reg = await usersRegistry();
    const refs = await refState(reg.gitDir);
    const li = await reg.open(LI);
    await expect(consume(li, { asset: 'orders', team: 'growth' })).rejects.toThrow(/orders/);
    await expect(consume(li, { asset: 'users', team: 'finance' })).rejects.toThrow(/finance/);
    await expect(consume(li, { asset: '../users', team: 'growth' })).rejects.toThrow(/asset id .* is not allowed/);
    await expect(consume(await reg.open(ANA), { asset: 'users', team: 'growth' })).rejects.toThrow(/ana@acme\.com/);
    expect(await refState(reg.gitDir)).toBe(refs);
  });
});

/** app/team-add: the outcome names what was written (team.created / team.updated, the team, main's new head), and nothing when nothing changed. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { teamAdd } from '../../src/app/team-add.js';
import { InputError } from '../../src/core/errors.js';
import { cleanupTempDirs, gitIn, refState } from '../helpers/machines.js';
import { ANA, AT_ISO, eventTrailers, head, LI, tempRegistry, type TempRegistry } from './temp-registry.js';

afterAll(cleanupTempDirs);
let reg: TempRegistry;
afterEach(() => reg.closeAll());

describe('app teamAdd', () => {
  it('creates a team, then updates it, each as one commit on main whose event the outcome carries', async () => {
    reg = await tempRegistry();
    const ctx = await reg.open(ANA);
    const before = await head(reg.gitDir);

    const created = await teamAdd(ctx, { name: 'core', members: ['Ana@acme.com'], contact: '#core' });
    const first = await head(reg.gitDir);
    expect(first).not.toBe(before);
    expect(created.result).toMatchObject({ action: 'created', added: ['ana@acme.com'], team: { name: 'core', members: ['ana@acme.com'], contact: '#core', created_by: 'ana@acme.com', created_at: AT_ISO } });
    expect(created.commits).toEqual({ 'refs/heads/main': first });
    expect(created.events).toEqual([{ type: 'team.created', actor: 'ana@acme.com', at: AT_ISO, team: 'core', commit: first }]);
    expect(await eventTrailers(reg.gitDir, first)).toEqual(['team.created']);
    expect(await gitIn(reg.gitDir, ['show', `${first}:teams/core.yaml`])).toContain('- ana@acme.com');

    const updated = await teamAdd(ctx, { name: 'core', members: ['li@acme.com'] });
    const second = await head(reg.gitDir);
    expect((await gitIn(reg.gitDir, ['rev-parse', `${second}^`])).trim()).toBe(first);
    expect(updated.result).toMatchObject({ action: 'updated', added: ['li@acme.com'], team: { members: ['ana@acme.com', 'li@acme.com'] } });
    expect(updated.events).toEqual([{ type: 'team.updated', actor: 'ana@acme.com', at: AT_ISO, team: 'core', commit: second }]);
    expect(await eventTrailers(reg.gitDir, second)).toEqual(['team.updated']);
  });

  it('writes nothing and reports no event when nothing changes', async () => {
    reg = await tempRegistry();
    const ctx = await reg.open(ANA);
    await teamAdd(ctx, { name: 'core', members: ['ana@acme.com'] });
    const refs = await refState(reg.gitDir);
    const again = await teamAdd(ctx, { name: 'core', members: ['ana@acme.com'] });
    expect(again.result.action).toBe('unchanged');
    expect(again.commits).toEqual({});
    expect(again.events).toEqual([]);
    expect(await refState(reg.gitDir)).toBe(refs);
  });

  it('refuses a bad member, a bad team name and a non-member changing the team, with the registry unchanged', async () => {
    reg = await tempRegistry();
    await teamAdd(await reg.open(ANA), { name: 'core', members: ['ana@acme.com'] });
    const refs = await refState(reg.gitDir);
    const li = await reg.open(LI);
    await expect(teamAdd(li, { name: 'core', members: ['not-an-email'] })).rejects.toThrow(/'not-an-email' is not an email address/);
    await expect(teamAdd(li, { name: 'Core Team', members: [] })).rejects.toBeInstanceOf(InputError);
    await expect(teamAdd(li, { name: 'core', members: ['li@acme.com'] })).rejects.toThrow(/li@acme\.com/);
    expect(await refState(reg.gitDir)).toBe(refs);
  });
});

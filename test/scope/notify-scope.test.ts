/**
 * Issue 16: informed teams are notified of a proposal with a different
 * message ("no action needed: you declared fields a, b"); required teams get
 * the usual request, with their ack command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../helpers/machines.js';
import { receiver, runNotify, type Receiver } from '../notify/helpers/receivers.js';
import { summarise } from '../../src/core/notify/summary.js';
import { ok, scopeRegistry, without, type ScopeRegistry } from './helpers.js';

afterAll(cleanupTempDirs);

let r: ScopeRegistry;
let finance: Receiver;
let growth: Receiver;

beforeAll(async () => {
  r = await scopeRegistry();
  [finance, growth] = await Promise.all([receiver(), receiver()]);
  await ok(r.fin, ['channel', 'add', 'finance-hooks', '--type', 'webhook', '--team', 'finance', '--url-env', 'FINANCE_URL']);
  await ok(r.gus, ['channel', 'add', 'growth-hooks', '--type', 'webhook', '--team', 'growth', '--url-env', 'GROWTH_URL']);
});
afterAll(async () => Promise.all([finance, growth].map((x) => x.close())));

describe('notifications of a scoped proposal', () => {
  it('the informed team hears of it with "no action needed", the required one is asked', async () => {
    const id = (await r.publish('no-email.json', without('email'))).proposal.id as string;
    const run = await runNotify(r.pat, r.registry, { FINANCE_URL: finance.url, GROWTH_URL: growth.url });
    expect(run.exitCode, run.stderr).toBe(0);
    const toFinance = finance.received.find((x) => x.type === 'proposal.created');
    const toGrowth = growth.received.find((x) => x.type === 'proposal.created');
    expect(toFinance && toGrowth).toBeTruthy();
    const data = toFinance!.body.data;
    expect(data).toMatchObject({ proposal: id, audience: ['core', 'finance', 'growth', 'ops'], data: { required_teams: ['growth', 'ops'], informed_teams: ['finance'], footprint: ['email'] } });
    expect(data.data.informed).toEqual([{ team: 'finance', fields: ['user_id', 'amount'], message: 'no action needed: you declared fields user_id, amount' }]);

    const channel = (team: string) => ({ name: `${team}-hooks`, type: 'webhook' as const, teams: [team], created_at: '', created_by: '' });
    const forFinance = summarise(data, channel('finance'));
    expect(forFinance.title).toMatch(/^FYI, no action needed: Breaking change proposed: users/);
    expect(forFinance.facts).toContainEqual(['Action', 'finance: no action needed: you declared fields user_id, amount']);
    expect(forFinance.commands).toEqual([]);
    const forGrowth = summarise(toGrowth!.body.data, channel('growth'));
    expect(forGrowth.title).toMatch(/^Breaking change proposed/);
    expect(forGrowth.commands).toEqual([`tessera ack ${id} --team growth`]);
  });
});

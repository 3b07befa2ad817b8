/**
 * Issue 16 in the web UI: a proposal's page says which teams must
 * acknowledge and which are only informed, with each team's declared fields
 * and the reason, and the proposal's footprint; open (from the registrations
 * now) and merged (as recorded at creation). Real registry, real `tessera ui`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../helpers/machines.js';
import { ok, scopeRegistry, without, type ScopeRegistry } from '../scope/helpers.js';
import { startUi, type RunningUi } from './harness.js';
import { request } from './http.js';

let r: ScopeRegistry;
let ui: RunningUi;
let dropEmail: string;
let openTable: string;

beforeAll(async () => {
  r = await scopeRegistry();
  dropEmail = (await r.publish('no-email.json', without('email'))).proposal.id;
  ui = await startUi(r.pat);
});

afterAll(async () => {
  await ui?.stop();
  cleanupTempDirs();
});

/** The row of `team` in the page's #scopes table. */
function scopeRow(page: string, team: string): string {
  const table = /<table id="scopes">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
  return new RegExp(`<tr data-team="${team}"[\\s\\S]*?</tr>`).exec(table)?.[0] ?? '';
}

describe('the proposal page shows required and informed teams', () => {
  it('an open proposal: the footprint, and each team with its fields and why', async () => {
    const page = await request(ui.url, `/proposals/${dropEmail}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<p class="small" id="footprint">Footprint: the breaking changes touch <b class="mono">email<\/b>/);
    expect(page.body).toContain('1 informed');
    const finance = scopeRow(page.body, 'finance');
    expect(finance).toContain('data-standing="informed"');
    expect(finance).toContain('user_id, amount');
    expect(finance).toContain('no action needed: you declared fields user_id, amount; the change touches email');
    const growth = scopeRow(page.body, 'growth');
    expect(growth).toContain('data-standing="required"');
    expect(growth).toContain('declared user_id, email; the change touches email');
    const ops = scopeRow(page.body, 'ops');
    expect(ops).toContain('data-standing="required"');
    expect(ops).toContain('every field');
    expect(ops).toContain('declared no fields: every change concerns it');
    // The answers table still lists only the teams waited for.
    const answers = /<table id="answers">([\s\S]*?)<\/table>/.exec(page.body)?.[1] ?? '';
    expect(answers).toContain('data-team="growth"');
    expect(answers).not.toContain('data-team="finance"');
  });

  it('a change to the whole table: every team required, the footprint says so', async () => {
    await ok(r.gus, ['ack', dropEmail, '--team', 'growth']);
    expect((await ok(r.ops, ['ack', dropEmail, '--team', 'ops'])).merged).toBe(true);
    const open = await r.publish('open.json', { ...without('email'), additionalProperties: true });
    openTable = open.proposal.id;
    const page = await request(ui.url, `/proposals/${openTable}`);
    expect(page.body).toContain('touch <b>the whole table</b>');
    expect(scopeRow(page.body, 'finance')).toContain('declared user_id, amount; the change touches the whole table');
    expect(page.body).toContain('3 required, 0 informed');
  });

  it('a merged proposal keeps its split as recorded at creation, even after a team widens its fields', async () => {
    await ok(r.fin, ['consume', 'users', '--team', 'finance', '--fields', 'user_id,amount,created_at']);
    const page = await request(ui.url, `/proposals/${dropEmail}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('as the teams stood when it was proposed');
    const finance = scopeRow(page.body, 'finance');
    expect(finance).toContain('data-standing="informed"');
    expect(finance).toContain('user_id, amount<');
    expect(scopeRow(page.body, 'growth')).toContain('data-standing="required"');
  });
});

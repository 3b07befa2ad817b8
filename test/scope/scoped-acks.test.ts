/**
 * Issue 16, "what it must show" 1 and 2, and the safety rules: only the
 * teams whose declared fields meet a change's footprint must acknowledge;
 * the others are informed. A team that changes its fields while the
 * proposal is open is re-evaluated, with its earlier state in the log.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, refState, writeJson, type Machine } from '../helpers/machines.js';
import { COLS, V1, ok, scopeRegistry, without } from './helpers.js';

afterAll(cleanupTempDirs);

let root: string;
let registry: string;
let pat: Machine;
let gus: Machine;
let fin: Machine;
let ops: Machine;

async function setup(config?: (text: string) => string): Promise<void> {
  ({ root, registry, pat, gus, fin, ops } = await scopeRegistry(config));
}

const show = (m: Machine, id: string) => ok(m, ['show', id]);

describe('scoped acknowledgments', () => {
  beforeEach(async () => {
    await setup();
  });

  it('dropping email requires growth and ops, informs finance; their two acks merge it', async () => {
    const created = await ok(pat, ['publish', 'users', writeJson(root, 'no-email.json', without('email'))]);
    expect(created.action).toBe('proposal.created');
    expect(created.proposal).toMatchObject({ required_teams: ['growth', 'ops'], informed_teams: ['finance'], footprint: ['email'] });
    const id = created.proposal.id as string;
    const text = await pat.run(['show', id]);
    expect(text.stdout).toMatch(/finance\s+informed\s+\(no action needed: you declared fields user_id, amount; the change touches email\)/);
    expect(text.stdout).toMatch(/ops\s+pending\s+\(declared no fields: every change concerns it\)/);
    const listed = await ok(pat, ['proposals', '--status', 'open']);
    expect(listed.proposals[0]).toMatchObject({ id, required: ['growth', 'ops'], informed: ['finance'], pending: ['growth', 'ops'] });
    expect(listed.proposals[0].informed_teams).toEqual(['finance']);

    const first = await ok(gus, ['ack', id, '--team', 'growth']);
    expect(first).toMatchObject({ merged: false, pending: ['ops'] });
    // growth's ack records the fields it answered for.
    expect(first.ack.fields).toEqual(['user_id', 'email']);
    const last = await ok(ops, ['ack', id, '--team', 'ops']);
    expect(last.merged).toBe(true);
    expect((await show(pat, 'users')).asset.current_version).toBe('2.0.0');
    const record = await show(pat, id);
    expect(record.proposal).toMatchObject({ status: 'merged', required_teams: ['growth', 'ops'], informed_teams: ['finance'] });
  });

  it('check (the pull-request gate) names the teams that would have to acknowledge, and the informed ones', async () => {
    const r = await pat.run(['check', 'users', writeJson(root, 'no-email.json', without('email')), '--json']);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ required_teams: ['growth', 'ops'], informed_teams: ['finance'] });
    const text = await pat.run(['check', 'users', writeJson(root, 'no-email.json', without('email'))]);
    expect(text.stdout).toContain('breaking: publishing this needs acknowledgments from growth, ops');
    expect(text.stdout).toContain('informed, not waited for: finance');
  });

  it('opening the content model touches the whole table: all three are required', async () => {
    const created = await ok(pat, ['publish', 'users', writeJson(root, 'open.json', { ...V1, additionalProperties: true })]);
    expect(created.proposal).toMatchObject({ required_teams: ['finance', 'growth', 'ops'], informed_teams: [], footprint: ['*'] });
    const view = await show(pat, created.proposal.id);
    expect(view.scopes.find((t: any) => t.team === 'finance').reason).toBe('declared user_id, amount; the change touches the whole table');
  });

  it('finance widening its fields to email while the proposal is open makes it required; the log keeps its earlier fields', async () => {
    const id = (await ok(pat, ['publish', 'users', writeJson(root, 'no-email.json', without('email'))])).proposal.id as string;
    const widened = await ok(fin, ['consume', 'users', '--team', 'finance', '--fields', 'user_id,amount,email']);
    expect(widened.scope).toMatchObject({ proposal: id, before: { required: false }, after: { required: true } });
    const view = await show(pat, id);
    expect(view.required).toEqual(['finance', 'growth', 'ops']);
    expect(view.informed).toEqual([]);
    await ok(gus, ['ack', id, '--team', 'growth']);
    expect((await ok(ops, ['ack', id, '--team', 'ops'])).merged).toBe(false);
    const log = await ok(pat, ['log', '--asset', 'users', '--event', 'consumer.registered']);
    const change = log.events.find((e: any) => e.proposal === id);
    expect(change.trailers['Tessera-Fields-Before']).toEqual(['user_id, amount']);
    expect(change.trailers['Tessera-Fields']).toEqual(['user_id, amount, email']);
    expect(change.trailers['Tessera-Standing'][0]).toMatch(/^informed -> required on p-/);
    expect((await ok(fin, ['ack', id, '--team', 'finance'])).merged).toBe(true);
  });

  it('narrowing never drops a team that was required: growth stays required after declaring user_id only', async () => {
    const id = (await ok(pat, ['publish', 'users', writeJson(root, 'no-email.json', without('email'))])).proposal.id as string;
    await ok(gus, ['consume', 'users', '--team', 'growth', '--fields', 'user_id']);
    const view = await show(pat, id);
    expect(view.required).toEqual(['growth', 'ops']);
    expect(view.scopes.find((t: any) => t.team === 'growth').reason).toMatch(/required when the proposal was made/);
    // finance widened then narrowed again: it stays required (required_for on its registration).
    await ok(fin, ['consume', 'users', '--team', 'finance', '--fields', 'user_id,amount,email']);
    const narrowed = await ok(fin, ['consume', 'users', '--team', 'finance', '--fields', 'amount']);
    expect(narrowed.consumer.required_for).toEqual([id]);
    expect((await show(pat, id)).required).toEqual(['finance', 'growth', 'ops']);
  });

  it('a supersede that only changes a column growth does not read leaves its ack standing; one that changes email voids it', async () => {
    const id = (await ok(pat, ['publish', 'users', writeJson(root, 'no-email.json', without('email'))])).proposal.id as string;
    await ok(gus, ['ack', id, '--team', 'growth']);
    await ok(fin, ['consume', 'users', '--team', 'finance', '--fields', 'amount']);
    // Also let amount hold strings: the proposal now touches finance's column too, and growth's columns are as before.
    const amount = { type: ['number', 'string'] };
    const again = await ok(pat, ['publish', 'users', writeJson(root, 'no-email-amount.json', without('email', { amount })), '--supersede']);
    expect(again.proposal).toMatchObject({ required_teams: ['finance', 'growth', 'ops'] });
    let view = await show(pat, id);
    expect(view.answers.find((a: any) => a.team === 'growth').state).toBe('approved');
    expect(view.answers.find((a: any) => a.team === 'finance').state).toBe('pending');
    // A supersede that touches email differently (keeps it, changes its type) voids growth's ack.
    await ok(pat, ['publish', 'users', writeJson(root, 'email-int.json', { ...without('created_at'), properties: { ...COLS, email: { type: 'integer' }, amount } }), '--supersede']);
    view = await show(pat, id);
    expect(view.answers.find((a: any) => a.team === 'growth').state).toBe('stale');
  });

  it('a change no declared fields meet merges at once when nobody is unscoped', async () => {
    await ok(ops, ['unconsume', 'users', '--team', 'ops']);
    const created = await ok(pat, ['publish', 'users', writeJson(root, 'no-created.json', without('created_at'))]);
    expect(created.proposal).toMatchObject({ required_teams: [], informed_teams: ['finance', 'growth'], merged: true });
    expect((await show(pat, 'users')).asset.current_version).toBe('2.0.0');
  });

  it('refuses a field the contract does not have, and writes nothing', async () => {
    const before = await refState(registry);
    const r = await gus.run(['consume', 'users', '--team', 'growth', '--fields', 'user_id,emial']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/users 1\.0\.0 has no column 'emial'.*declare columns it has: user_id, email, amount, created_at/);
    expect(await refState(registry)).toBe(before);
  });
});

describe('policy.strict_acks', () => {
  it('turns scoping off: every consumer is required', async () => {
    await setup((text) => text.replace(/policy:\n/, 'policy:\n  strict_acks: true\n'));
    const created = await ok(pat, ['publish', 'users', writeJson(root, 'no-email.json', without('email'))]);
    expect(created.proposal).toMatchObject({ required_teams: ['finance', 'growth', 'ops'], informed_teams: [] });
    const view = await show(pat, created.proposal.id);
    expect(view.proposal.scope).toBeUndefined();
    expect(view.scopes.every((t: any) => t.required && /strict_acks/.test(t.reason))).toBe(true);
  });
});

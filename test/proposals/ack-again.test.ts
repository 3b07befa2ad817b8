/**
 * A team that gives the same answer twice is told nothing changed (and
 * nothing is written), as `consume` does; a merge refusal names the exact ack
 * command for each missing team.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, gitIn, machine, tempDir, writeJson, USERS_V1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { runJson } from '../sync/helpers.js';

afterAll(cleanupTempDirs);

let registry: string;
let pat: Machine;
let bea: Machine;
let id: string;

beforeAll(async () => {
  const root = tempDir();
  registry = path.join(root, 'registry.git');
  const env = { TESSERA_REGISTRY: registry };
  pat = machine(root, 'pat', 'pat@acme.com', env);
  bea = machine(root, 'bea', 'bea@acme.com', env);
  const cid = machine(root, 'cid', 'cid@acme.com', env);
  expect((await pat.run(['init', registry])).exitCode).toBe(0);
  await runJson(pat, ['team', 'add', 'core', '--member', 'pat@acme.com']);
  await runJson(bea, ['team', 'add', 'growth', '--member', 'bea@acme.com']);
  await runJson(cid, ['team', 'add', 'finance', '--member', 'cid@acme.com']);
  await runJson(pat, ['publish', 'users', writeJson(root, 'v1.json', USERS_V1), '--owner', 'core']);
  await runJson(bea, ['consume', 'users', '--team', 'growth']);
  await runJson(cid, ['consume', 'users', '--team', 'finance']);
  id = (await runJson(pat, ['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL)])).proposal.id;
});

const refs = async () => (await gitIn(registry, ['for-each-ref', '--format=%(refname) %(objectname)'])).trim();

describe('ack twice, merge refused', () => {
  it('the same approval again: "already approved, nothing changed", no new commit', async () => {
    await runJson(bea, ['ack', id, '--team', 'growth']);
    const before = await refs();
    const again = await bea.run(['ack', id, '--team', 'growth']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^growth already approved p-[0-9a-f]+ \(users .*\); nothing changed$/m);
    expect(await refs()).toBe(before);
    const json = await runJson(bea, ['ack', id, '--team', 'growth']);
    expect(json).toMatchObject({ action: 'unchanged', team: 'growth', pending: ['finance'] });
  });

  it('another answer is recorded', async () => {
    const before = await refs();
    const out = await runJson(bea, ['ack', id, '--team', 'growth', '--decision', 'migrating']);
    expect(out.action).toBe('proposal.acked');
    expect(await refs()).not.toBe(before);
    await runJson(bea, ['ack', id, '--team', 'growth']);
  });

  it('a merge refusal names the ack command of each missing team', async () => {
    const r = await pat.run(['merge', id]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`missing approvals from finance (no answer)`);
    expect(r.stderr).toContain(`tessera ack ${id} --team finance`);
    expect(r.stderr).not.toContain('<team>');
  });
});

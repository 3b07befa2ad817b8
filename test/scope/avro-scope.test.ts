/**
 * Issue 16 x 17 end to end: an Avro contract's consumers are scoped by the
 * fields they declared, as a JSON Schema contract's are. Dropping a field
 * requires only the team that declared it; demoting another requires only
 * its team; a renamed field (two names) and a team that declared nothing
 * are required whatever they read; `verify` accepts the merges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, machine, tempDir, writeJson, type Machine } from '../helpers/machines.js';
import { ok } from './helpers.js';

afterAll(cleanupTempDirs);

type Field = { name: string; type: unknown; default?: unknown; aliases?: string[] };
const user = (fields: Field[]) => ({ type: 'record', name: 'User', namespace: 'acme', fields });
const ID: Field = { name: 'user_id', type: 'long' };
const EMAIL: Field = { name: 'email', type: 'string' };
const AMOUNT: Field = { name: 'amount', type: 'double' };
const COUNTRY: Field = { name: 'country', type: 'string' };

let root: string;
let pat: Machine;
let gus: Machine;
let fin: Machine;
let oli: Machine;
const publish = (name: string, schema: unknown) => ok(pat, ['publish', 'users', writeJson(root, name, schema)]);

beforeAll(async () => {
  root = tempDir();
  const registry = path.join(root, 'registry.git');
  const env = { TESSERA_REGISTRY: registry };
  pat = machine(root, 'pat', 'pat@acme.com', env);
  gus = machine(root, 'gus', 'gus@acme.com', env);
  fin = machine(root, 'fin', 'fin@acme.com', env);
  oli = machine(root, 'oli', 'oli@acme.com', env);
  expect((await pat.run(['init', registry])).exitCode).toBe(0);
  await ok(pat, ['team', 'add', 'core', '--member', 'pat@acme.com']);
  await ok(gus, ['team', 'add', 'growth', '--member', 'gus@acme.com']);
  await ok(fin, ['team', 'add', 'finance', '--member', 'fin@acme.com']);
  await ok(oli, ['team', 'add', 'ops', '--member', 'oli@acme.com']);
  // full: a dropped field without a default breaks forward, a demotion breaks backward.
  const v1 = await ok(pat, ['publish', 'users', writeJson(root, 'v1.avsc', user([ID, EMAIL, AMOUNT, COUNTRY])), '--owner', 'core', '--kind', 'topic', '--mode', 'full']);
  expect(v1).toMatchObject({ action: 'contract.published', version: '1.0.0' });
  await ok(gus, ['consume', 'users', '--team', 'growth', '--fields', 'user_id,email']);
  await ok(fin, ['consume', 'users', '--team', 'finance', '--fields', 'user_id,amount']);
});

async function verifyClean(): Promise<void> {
  const v = await pat.run(['verify', '--json']);
  expect(v.exitCode, v.stdout + v.stderr).toBe(0);
  expect(JSON.parse(v.stdout).violations).toEqual([]);
}

describe('scoped acknowledgments on an Avro contract', () => {
  it('dropping email requires growth only and informs finance; growth alone merges it; verify accepts the merge', async () => {
    const created = await publish('no-email.avsc', user([ID, AMOUNT, COUNTRY]));
    expect(created.action).toBe('proposal.created');
    expect(created.proposal).toMatchObject({ required_teams: ['growth'], informed_teams: ['finance'], footprint: ['email'] });
    const id = created.proposal.id as string;
    const text = await pat.run(['show', id]);
    expect(text.stdout).toMatch(/finance\s+informed\s+\(no action needed: you declared fields user_id, amount; the change touches email\)/);
    const acked = await ok(gus, ['ack', id, '--team', 'growth']);
    expect(acked.merged).toBe(true);
    expect((await ok(pat, ['show', 'users'])).asset.current_version).toBe('2.0.0');
    await verifyClean();
  });

  it('demoting amount requires finance only and informs growth', async () => {
    const created = await publish('float-amount.avsc', user([ID, { ...AMOUNT, type: 'float' }, COUNTRY]));
    expect(created.proposal).toMatchObject({ required_teams: ['finance'], informed_teams: ['growth'], footprint: ['amount'] });
    expect((await ok(fin, ['ack', created.proposal.id, '--team', 'finance'])).merged).toBe(true);
    await verifyClean();
  });

  it('a change to a field nobody declared merges at once; verify accepts it', async () => {
    // country: string -> int breaks both ways, and neither team reads it.
    const created = await publish('int-country.avsc', user([ID, { ...AMOUNT, type: 'float' }, { name: 'country', type: 'int' }]));
    expect(created.proposal).toMatchObject({ required_teams: [], informed_teams: ['finance', 'growth'], footprint: ['country'], merged: true });
    expect((await ok(pat, ['show', 'users'])).asset.current_version).toBe('4.0.0');
    await verifyClean();
  });

  it('a rename through aliases touches two names: every team is required', async () => {
    const created = await publish('renamed.avsc', user([{ name: 'id', type: 'long', aliases: ['user_id'] }, { ...AMOUNT, type: 'float' }, { name: 'country', type: 'int' }]));
    expect(created.proposal).toMatchObject({ required_teams: ['finance', 'growth'], informed_teams: [], footprint: ['*'] });
    await ok(pat, ['withdraw', created.proposal.id]);
  });

  it('a team that declared no fields is required for any change', async () => {
    await ok(oli, ['consume', 'users', '--team', 'ops']);
    const created = await publish('no-country.avsc', user([ID, { ...AMOUNT, type: 'float' }]));
    expect(created.proposal).toMatchObject({ required_teams: ['ops'], informed_teams: ['finance', 'growth'], footprint: ['country'] });
  });
});

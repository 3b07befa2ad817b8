/**
 * Issue 16, "what it must show" 4: `verify` recomputes the required teams
 * of a proposal merge from the registrations when the proposal was created
 * and at the merge. A merge that skipped only informed teams verifies clean;
 * a hand-made merge that skipped a required team is flagged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { cleanupTempDirs, gitIn } from '../helpers/machines.js';
import { as, ok, scopeRegistry, without, type ScopeRegistry } from './helpers.js';

afterAll(cleanupTempDirs);

let r: ScopeRegistry;

async function verify(): Promise<{ code: number; violations: Array<{ kind: string; commit: string; message: string }> }> {
  const out = await r.pat.run(['verify', '--json']);
  expect([0, 1], out.stderr).toContain(out.exitCode);
  return { code: out.exitCode, violations: JSON.parse(out.stdout).violations };
}

beforeAll(async () => {
  r = await scopeRegistry();
  // Dropping email: growth and ops required, finance informed; merged by Tessera on their two acks.
  const id = (await r.publish('no-email.json', without('email'))).proposal.id as string;
  await ok(r.gus, ['ack', id, '--team', 'growth']);
  expect((await ok(r.ops, ['ack', id, '--team', 'ops'])).merged).toBe(true);
});

describe('verify with scoped acknowledgments', () => {
  it('accepts a merge that skipped only an informed team', async () => {
    const v = await verify();
    expect(v.violations).toEqual([]);
    expect(v.code).toBe(0);
  });

  it('flags a hand-made merge that skipped a required team, naming it and not the informed one', async () => {
    // Dropping amount from 2.0.0: finance and ops are required, growth is informed.
    const v2 = without('email');
    const props = { ...v2.properties } as Record<string, unknown>;
    delete props.amount;
    const created = await r.publish('no-amount.json', { ...v2, properties: props });
    const id = created.proposal.id as string;
    expect(created.proposal).toMatchObject({ required_teams: ['finance', 'ops'], informed_teams: ['growth'] });
    await ok(r.fin, ['ack', id, '--team', 'finance']);

    // By hand with plain git: merge finance's ack commit into main as if complete, without ops.
    const work = path.join(r.root, 'hand');
    await gitIn(r.root, ['clone', '-q', r.registry, work]);
    await gitIn(work, ['fetch', '-q', 'origin', `refs/tessera/acks/${id}/finance:refs/hand/finance`]);
    await gitIn(work, ['merge', '-q', '--no-ff', '--no-commit', 'refs/hand/finance'], as('pat@acme.com'));
    const assetFile = path.join(work, 'assets/users/asset.yaml');
    writeFileSync(assetFile, readFileSync(assetFile, 'utf8').replace('current_version: 2.0.0', 'current_version: 3.0.0'));
    const recordFile = path.join(work, `proposals/${id}.yaml`);
    const record = parse(readFileSync(recordFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(recordFile, stringify({ ...record, status: 'merged', closed_at: '2026-12-07T00:00:00Z', closed_by: 'pat@acme.com' }));
    await gitIn(work, ['add', '-A']);
    const message = `merge proposal ${id}: users 3.0.0\n\nTessera-Event: proposal.merged\nTessera-Asset: users\nTessera-Version: 3.0.0\nTessera-Proposal: ${id}\nTessera-Team: core\nTessera-Actor: pat@acme.com\n`;
    await gitIn(work, ['commit', '-q', '-m', message], as('pat@acme.com'));
    await gitIn(work, ['push', '-q', 'origin', 'HEAD:main']);
    const commit = (await gitIn(work, ['rev-parse', 'HEAD'])).trim();

    const v = await verify();
    expect(v.code).toBe(1);
    expect(v.violations.map((x) => `${x.kind} ${x.commit}`)).toEqual([`unapproved-breaking-change ${commit}`]);
    expect(v.violations[0]!.message).toMatch(/merged without valid acks from ops \(no ack\)$/);
    expect(v.violations[0]!.message).not.toMatch(/growth/);
  });
});

/**
 * Issue 4's registry settings: a proposal even without consumers, and no
 * automatic merge (a person runs `tessera merge`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { cleanupTempDirs, gitIn, machine, tempDir, writeJson, USERS_V1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

async function registryWith(policy: Record<string, unknown>): Promise<{ root: string; registry: string; pat: Machine }> {
  const root = tempDir();
  const registry = path.join(root, 'r.git');
  const pat = machine(root, 'pat', 'pat@acme.com', { TESSERA_REGISTRY: registry });
  expect((await pat.run(['init', registry])).exitCode).toBe(0);
  // Change the settings the way an admin would: plain git.
  const work = path.join(root, 'work');
  await gitIn(root, ['clone', '--quiet', registry, work]);
  const file = path.join(work, 'tessera.yaml');
  const cfg = parse(readFileSync(file, 'utf8')) as { policy: Record<string, unknown> };
  Object.assign(cfg.policy, policy);
  writeFileSync(file, stringify(cfg));
  await gitIn(work, ['-c', 'user.email=pat@acme.com', '-c', 'user.name=pat', 'commit', '-qam', 'settings']);
  await gitIn(work, ['push', '--quiet', 'origin', 'main']);
  expect((await pat.run(['team', 'add', 'core', '--member', 'pat@acme.com'])).exitCode).toBe(0);
  expect((await pat.run(['publish', 'users', writeJson(root, 'v1.json', USERS_V1), '--owner', 'core'])).exitCode).toBe(0);
  return { root, registry, pat };
}

describe('tessera.yaml policy', () => {
  it('proposal_without_consumers: a breaking change to an unconsumed asset still becomes a proposal', async () => {
    const { root, pat } = await registryWith({ proposal_without_consumers: true });
    const r = await pat.run(['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ action: 'proposal.created', proposal: { required_teams: [] } });
    // Nobody has to answer, so a person merges it.
    const merged = await pat.run(['merge', out.proposal.id, '--json']);
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(JSON.parse((await pat.run(['show', 'users', '--json'])).stdout).asset.current_version).toBe('2.0.0');
  });

  it('auto_merge false: the last approval does not merge; tessera merge does', async () => {
    const { root, registry, pat } = await registryWith({ auto_merge: false });
    const bea = machine(root, 'bea', 'bea@acme.com', { TESSERA_REGISTRY: registry });
    expect((await bea.run(['team', 'add', 'team-b', '--member', 'bea@acme.com'])).exitCode).toBe(0);
    expect((await bea.run(['consume', 'users', '--team', 'team-b'])).exitCode).toBe(0);
    const id = JSON.parse((await pat.run(['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL), '--json'])).stdout).proposal.id as string;
    const ack = await bea.run(['ack', id, '--team', 'team-b']);
    expect(ack.exitCode, ack.stderr).toBe(0);
    expect(ack.stdout).toMatch(new RegExp(`All approvals are in; merge with: tessera merge ${id}`));
    expect(JSON.parse((await pat.run(['show', 'users', '--json'])).stdout).asset.current_version).toBe('1.0.0');
    expect((await pat.run(['merge', id])).exitCode).toBe(0);
    expect(JSON.parse((await pat.run(['show', 'users', '--json'])).stdout).asset.current_version).toBe('2.0.0');
  });
});

/**
 * Issue 4: `tessera verify` catches hand edits made with plain git and no
 * Tessera: a dropped column on a contract with consumers, a forged ack by a
 * non-member, an unsigned commit under the signing policy. A history made
 * only by Tessera verifies clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { cleanupTempDirs, gitIn, machine, tempDir, writeJson, USERS_V1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

let root: string;
let registry: string;
let work: string;
let pat: Machine;

const as = (email: string) => ({ GIT_AUTHOR_NAME: email, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: email, GIT_COMMITTER_EMAIL: email });

async function handCommit(email: string, message: string, edit: () => void): Promise<string> {
  await gitIn(work, ['pull', '--quiet', '--ff-only', 'origin', 'main']);
  edit();
  await gitIn(work, ['add', '-A']);
  await gitIn(work, ['commit', '-q', '-m', message], as(email));
  await gitIn(work, ['push', '--quiet', 'origin', 'HEAD:main']);
  return (await gitIn(work, ['rev-parse', 'HEAD'])).trim();
}

async function verify(args: string[] = []): Promise<{ code: number; violations: Array<{ kind: string; commit: string; message: string }> }> {
  const r = await pat.run(['verify', '--json', ...args]);
  expect([0, 1], r.stderr).toContain(r.exitCode);
  return { code: r.exitCode, violations: JSON.parse(r.stdout).violations };
}

beforeAll(async () => {
  root = tempDir();
  registry = path.join(root, 'registry.git');
  pat = machine(root, 'pat', 'pat@acme.com', { TESSERA_REGISTRY: registry });
  const bea = machine(root, 'bea', 'bea@acme.com', { TESSERA_REGISTRY: registry });
  const ok = async (m: Machine, args: string[]) => expect((await m.run(args)).exitCode).toBe(0);
  await ok(pat, ['init', registry]);
  await ok(pat, ['team', 'add', 'core', '--member', 'pat@acme.com']);
  await ok(bea, ['team', 'add', 'team-b', '--member', 'bea@acme.com']);
  await ok(pat, ['publish', 'users', writeJson(root, 'v1.json', USERS_V1), '--owner', 'core']);
  await ok(pat, ['publish', 'orders', writeJson(root, 'o1.json', USERS_V1), '--owner', 'core']);
  await ok(bea, ['consume', 'users', '--team', 'team-b']);
  await ok(bea, ['consume', 'orders', '--team', 'team-b']);
  // A legitimate breaking change through a proposal, and a legitimate forced one.
  const created = JSON.parse((await pat.run(['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL), '--json'])).stdout);
  await ok(bea, ['ack', created.proposal.id, '--team', 'team-b']);
  await ok(pat, ['publish', 'orders', writeJson(root, 'o2.json', USERS_V2_NO_EMAIL), '--force', '--reason', 'INC-7']);
  work = path.join(root, 'work');
  await gitIn(root, ['clone', '--quiet', registry, work]);
});

describe('tessera verify', () => {
  it('passes a history made only by Tessera, proposals and forced publishes included', async () => {
    const r = await verify();
    expect(r.violations).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('catches a column dropped by hand from a contract that has consumers', async () => {
    const v2 = parse(readFileSync(path.join(work, 'assets/users/versions/2.0.0.yaml'), 'utf8')) as Record<string, any>;
    const commit = await handCommit('pat@acme.com', 'drop created_at', () => {
      const v3 = { ...v2, version: '3.0.0', previous_version: '2.0.0', via: 'direct', changes: [] };
      delete v3.proposal;
      delete (v3.schema.properties as Record<string, unknown>).created_at;
      writeFileSync(path.join(work, 'assets/users/versions/3.0.0.yaml'), stringify(v3));
    });
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.violations.map((v) => `${v.kind} ${v.commit}`)).toEqual([`unapproved-breaking-change ${commit}`]);
    expect(r.violations[0]!.message).toMatch(/users 3\.0\.0 is breaking .*PROPERTY_REMOVED.*team-b/);
  });

  it('catches an ack forged by a non-member', async () => {
    const file = path.join(work, 'assets/orders/consumers/team-b.yaml');
    const commit = await handCommit('eve@evil.com', 'ack for team-b', () => {
      const c = parse(readFileSync(file, 'utf8')) as Record<string, any>;
      c.acks.push({ proposal: 'p-00000000', decision: 'approve', by: 'bea@acme.com', at: '2026-01-01T00:00:00Z', fingerprint: 'ffff' });
      writeFileSync(file, stringify(c));
    });
    const r = await verify();
    const forged = r.violations.filter((v) => v.kind === 'forged-ack');
    expect(forged.map((v) => v.commit)).toEqual([commit]);
    expect(forged[0]!.message).toMatch(/eve@evil\.com, not a member of team-b/);
  });

  it('catches a rewritten published version and an invalid file', async () => {
    const rewrite = await handCommit('pat@acme.com', 'fix old version', () => {
      const p = path.join(work, 'assets/users/versions/1.0.0.yaml');
      writeFileSync(p, readFileSync(p, 'utf8').replace('published_by: pat@acme.com', 'published_by: someone@acme.com'));
    });
    const invalid = await handCommit('pat@acme.com', 'bad team', () => writeFileSync(path.join(work, 'teams/ops.yaml'), 'name: ops\nmembers: nope\n'));
    const r = await verify();
    expect(r.violations.filter((v) => v.kind === 'immutable-version').map((v) => v.commit)).toEqual([rewrite]);
    expect(r.violations.filter((v) => v.kind === 'invalid-file').map((v) => v.commit)).toEqual([invalid]);
    // --since limits the walk to what came after a commit.
    expect((await verify(['--since', invalid])).violations).toEqual([]);
  });

  it('catches an unsigned commit once the registry requires signed commits', async () => {
    const keyDir = path.join(root, 'keys');
    mkdirSync(keyDir);
    const key = path.join(keyDir, 'pat');
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pat@acme.com', '-f', key]);
    const pub = readFileSync(`${key}.pub`, 'utf8').trim();
    const policy = await handCommit('pat@acme.com', 'require signed commits', () => {
      const cfg = parse(readFileSync(path.join(work, 'tessera.yaml'), 'utf8')) as Record<string, any>;
      cfg.policy.require_signed_commits = true;
      writeFileSync(path.join(work, 'tessera.yaml'), stringify(cfg));
      mkdirSync(path.join(work, '.tessera'), { recursive: true });
      writeFileSync(path.join(work, '.tessera/allowed_signers'), `pat@acme.com ${pub}\n`);
    });
    const signArgs = ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${key}`];
    // An ssh-signed commit by an allowed key passes; an unsigned one is flagged.
    await gitIn(work, ['pull', '--quiet', '--ff-only', 'origin', 'main']);
    writeFileSync(path.join(work, 'NOTES.md'), 'signed twice\n');
    await gitIn(work, ['add', '-A']);
    await gitIn(work, [...signArgs, 'commit', '-q', '-S', '-m', 'signed commit'], as('pat@acme.com'));
    await gitIn(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    const signedCommit = (await gitIn(work, ['rev-parse', 'HEAD'])).trim();
    const unsigned = await handCommit('pat@acme.com', 'unsigned commit', () => writeFileSync(path.join(work, 'NOTES.md'), 'unsigned\n'));
    // Tessera signs its own commits when git is set up to sign (commit.gpgsign).
    const signingPat = machine(root, 'pat-signing', 'pat@acme.com', {
      TESSERA_REGISTRY: registry,
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_0: 'commit.gpgsign',
      GIT_CONFIG_VALUE_0: 'true',
      GIT_CONFIG_KEY_1: 'gpg.format',
      GIT_CONFIG_VALUE_1: 'ssh',
      GIT_CONFIG_KEY_2: 'user.signingkey',
      GIT_CONFIG_VALUE_2: key,
    });
    expect((await signingPat.run(['team', 'add', 'signers', '--member', 'pat@acme.com'])).exitCode).toBe(0);
    const tesseraCommit = (await gitIn(registry, ['rev-parse', 'main'])).trim();
    const r = await verify(['--since', policy]);
    const flagged = r.violations.filter((v) => v.kind === 'unsigned-commit').map((v) => v.commit);
    expect(flagged).toEqual([unsigned]);
    expect(flagged).not.toContain(signedCommit);
    expect(flagged).not.toContain(tesseraCommit);
    expect(r.code).toBe(1);
  });
});

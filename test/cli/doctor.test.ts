/**
 * `tessera doctor`: a healthy shared setup is all ok (exit 0); each broken
 * one (no identity, an unreachable remote, no team, signing required without
 * a key, an empty remote) exits 3 naming the problem and the fix. It writes
 * nothing, and never creates the default registry.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tessera, type RunResult } from '../helpers/cli.js';
import { anonymousEnv, bareRemote, cleanupTempDirs, gitIn, machine, refState, tempDir, type Machine } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

function doctorJson(r: RunResult): { ok: boolean; checks: Check[] } {
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

const check = (doc: { checks: Check[] }, name: string) => doc.checks.find((c) => c.name === name)!;

/** A shared registry on a bare remote, initialised by ana, with ana in team core. */
async function sharedSetup(root: string): Promise<{ url: string; remote: string; ana: Machine }> {
  const remote = await bareRemote(root);
  const url = pathToFileURL(remote).href;
  const ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: url });
  expect((await ana.run(['init'])).exitCode).toBe(0);
  expect((await ana.run(['team', 'add', 'core', '--member', 'ana@acme.com'])).exitCode).toBe(0);
  return { url, remote, ana };
}

/** Set policy.require_signed_commits in the remote's tessera.yaml, the way an admin would: a commit pushed with git. */
async function requireSignedCommits(root: string, remote: string): Promise<void> {
  const work = path.join(root, 'admin-work');
  await gitIn(root, ['clone', '--quiet', remote, work]);
  const file = path.join(work, 'tessera.yaml');
  const text = readFileSync(file, 'utf8');
  expect(text).toMatch(/require_signed_commits: false/);
  writeFileSync(file, text.replace('require_signed_commits: false', 'require_signed_commits: true'));
  await gitIn(work, ['-c', 'user.email=admin@acme.com', '-c', 'user.name=admin', 'commit', '--quiet', '-am', 'require signed commits']);
  await gitIn(work, ['push', '--quiet', 'origin', 'main']);
}

describe('tessera doctor', () => {
  it('a healthy shared setup: every line ok, exit 0, nothing written', async () => {
    const root = tempDir('tessera-doctor-ok-');
    const { url, remote, ana } = await sharedSetup(root);
    const before = await refState(remote);
    const text = await ana.run(['doctor']);
    expect(text.exitCode, text.stdout + text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['ok registry', 'ok reachable', 'ok identity', 'ok teams', 'ok signing']);
    expect(lines[0]).toContain(`${url} (env TESSERA_REGISTRY)`);
    expect(lines[1]).toMatch(/reachable; main at [0-9a-f]{12}, 0 assets/);
    expect(lines[2]).toContain('ana <ana@acme.com>');
    expect(lines[3]).toContain('member of core');
    expect(lines[4]).toContain('not required by the registry');

    const json = await ana.run(['doctor', '--json']);
    expect(json.exitCode).toBe(0);
    const doc = doctorJson(json);
    expect(doc.ok).toBe(true);
    expect(doc.checks.map((c) => [c.name, c.status])).toEqual([
      ['registry', 'ok'],
      ['reachable', 'ok'],
      ['identity', 'ok'],
      ['teams', 'ok'],
      ['signing', 'ok'],
    ]);
    expect(await refState(remote)).toBe(before);
  });

  it('names the selection: --registry, a .tessera.yaml file, the default', async () => {
    const root = tempDir('tessera-doctor-source-');
    const { url, ana } = await sharedSetup(root);
    const viaFlag = doctorJson(await tessera(['doctor', '--json', '--registry', url], { cwd: root, env: { ...ana.env, TESSERA_REGISTRY: undefined } as Record<string, string> }));
    expect(check(viaFlag, 'registry').detail).toBe(`${url} (--registry)`);
    const project = path.join(root, 'proj');
    mkdirSync(project);
    writeFileSync(path.join(project, '.tessera.yaml'), `registry: ${url}\n`);
    const viaFile = doctorJson(await tessera(['doctor', '--json'], { cwd: project, env: { ...ana.env, TESSERA_REGISTRY: undefined } as Record<string, string> }));
    expect(check(viaFile, 'registry').detail).toBe(`${url} (file ${path.join(project, '.tessera.yaml')})`);
    expect(viaFile.ok).toBe(true);
  });

  it('no default registry yet: a warning with the fix tessera init, exit 0, and doctor does not create it', async () => {
    const root = tempDir('tessera-doctor-default-');
    const m = machine(root, 'ana', 'ana@acme.com');
    const r = await m.run(['doctor', '--json']);
    expect(r.exitCode).toBe(0);
    const doc = doctorJson(r);
    expect(check(doc, 'registry').detail).toMatch(/\(default\)$/);
    expect(check(doc, 'reachable')).toMatchObject({ status: 'warn', fix: 'tessera init' });
    expect(existsSync(path.join(m.env.TESSERA_HOME!, 'registry'))).toBe(false);
  });

  it('no git identity on a shared registry: exit 3, names the fix', async () => {
    const root = tempDir('tessera-doctor-anon-');
    const { url } = await sharedSetup(root);
    const r = await tessera(['doctor'], { cwd: root, env: anonymousEnv(root, { TESSERA_REGISTRY: url }) as Record<string, string> });
    expect(r.exitCode).toBe(3);
    const line = r.stdout.split('\n').find((l) => l.includes('identity'))!;
    expect(line).toMatch(/^FAIL\s+identity\s+no git identity.*fix: git config --global user\.email/);
  });

  it('an unreachable remote (a missing file:// repository, a closed port): exit 3, names it and the fix', async () => {
    const root = tempDir('tessera-doctor-unreach-');
    const m = machine(root, 'ana', 'ana@acme.com');
    for (const url of [pathToFileURL(path.join(root, 'gone.git')).href, 'git://127.0.0.1:1/gone.git']) {
      const r = await m.run(['doctor', '--json', '--registry', url]);
      expect(r.exitCode).toBe(3);
      const doc = doctorJson(r);
      expect(doc.ok).toBe(false);
      expect(check(doc, 'reachable')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/check the URL/) });
      expect(check(doc, 'reachable').detail).toContain(`cannot reach ${url}`);
    }
  });

  it('an empty remote: exit 3, the fix is the exact init command', async () => {
    const root = tempDir('tessera-doctor-empty-');
    const url = pathToFileURL(await bareRemote(root)).href;
    const m = machine(root, 'ana', 'ana@acme.com');
    const r = await m.run(['doctor', '--json', '--registry', url]);
    expect(r.exitCode).toBe(3);
    expect(check(doctorJson(r), 'reachable')).toMatchObject({ status: 'fail', detail: `${url} answers but holds no registry yet`, fix: `tessera init --registry ${url}` });
  });

  it('not a member of any team: exit 3, names the team add that fixes it', async () => {
    const root = tempDir('tessera-doctor-noteam-');
    const { url } = await sharedSetup(root);
    const li = machine(root, 'li', 'li@acme.com', { TESSERA_REGISTRY: url });
    const r = await li.run(['doctor']);
    expect(r.exitCode).toBe(3);
    const line = r.stdout.split('\n').find((l) => /\steams\s/.test(l))!;
    expect(line).toMatch(/^FAIL\s+teams\s+li@acme\.com is a member of none of the registry's 1 team.*fix: .*tessera team add <team> --member li@acme\.com/);
  });

  it('signed commits required: no key is broken (exit 3); a configured key is ok', async () => {
    const root = tempDir('tessera-doctor-sign-');
    const { remote, ana } = await sharedSetup(root);
    await requireSignedCommits(root, remote);
    const before = await refState(remote);
    const broken = await ana.run(['doctor', '--json']);
    expect(broken.exitCode).toBe(3);
    expect(check(doctorJson(broken), 'signing')).toMatchObject({ status: 'fail', detail: 'required by the registry but no signing key is configured', fix: expect.stringContaining('user.signingkey') });

    const keyed = machine(root, 'ana', 'ana@acme.com', {
      ...ana.env,
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_0: 'gpg.format',
      GIT_CONFIG_VALUE_0: 'ssh',
      GIT_CONFIG_KEY_1: 'user.signingkey',
      GIT_CONFIG_VALUE_1: path.join(root, 'id_ed25519.pub'),
      GIT_CONFIG_KEY_2: 'commit.gpgsign',
      GIT_CONFIG_VALUE_2: 'true',
    });
    const fine = await keyed.run(['doctor', '--json']);
    expect(fine.exitCode, fine.stdout).toBe(0);
    expect(check(doctorJson(fine), 'signing')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^required and configured \(gpg\.format ssh, user\.signingkey set\)/) });
    expect(await refState(remote)).toBe(before);
  });
});

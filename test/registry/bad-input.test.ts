/**
 * Issue 3, "what it must show" 3: every bad input gives a one-line error
 * naming the problem, a non-zero exit, and leaves the registry exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, gitIn, machine, refState, tempDir, writeJson, USERS_V1, type Machine } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

let root: string;
let registry: string;
let ana: Machine;
let schema: string;

beforeAll(async () => {
  root = tempDir();
  registry = path.join(root, 'registry.git');
  ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: registry });
  expect((await ana.run(['init', registry])).exitCode).toBe(0);
  expect((await ana.run(['team', 'add', 'core', '--member', 'ana@acme.com'])).exitCode).toBe(0);
  schema = writeJson(root, 'users.json', USERS_V1);
  expect((await ana.run(['publish', 'users', schema, '--owner', 'core'])).exitCode).toBe(0);
});

async function expectRefused(m: Machine, args: string[], code: number, pattern: RegExp, reg = registry): Promise<void> {
  const before = await refState(reg);
  const r = await m.run(args);
  expect(r.exitCode, r.stderr).toBe(code);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(await refState(reg)).toBe(before);
}

describe('hostile and malformed asset ids', () => {
  const cases: Array<[string, string]> = [
    ['../etc', 'parent path'],
    ['a/b', 'slash'],
    ['.git', 'git dir'],
    ['', 'empty'],
    ['x'.repeat(300), '300 characters'],
    ['bad\u0001id', 'control character'],
    ['Users', 'upper case'],
    ['a..b', 'double dot'],
  ];
  for (const [id, label] of cases) {
    it(`refuses ${label}`, async () => {
      await expectRefused(ana, ['publish', id, schema, '--owner', 'core'], 2, /asset id/);
    });
  }
  it('refuses hostile ids in consume and show too', async () => {
    await expectRefused(ana, ['consume', '../etc', '--team', 'core'], 2, /asset id/);
    await expectRefused(ana, ['show', '../../etc/passwd'], 2, /asset id/);
  });
});

describe('unknown names and identities', () => {
  it('refuses an unknown owner team, naming the fix', async () => {
    await expectRefused(ana, ['publish', 'orders', schema, '--owner', 'nobody'], 2, /unknown team 'nobody'.*tessera team add nobody/);
  });
  it('refuses an unknown asset', async () => {
    await expectRefused(ana, ['consume', 'missing', '--team', 'core'], 2, /unknown asset 'missing'/);
  });
  it('refuses a non-member actor, naming team, actor and fix', async () => {
    const eve = machine(root, 'eve', 'eve@evil.com', { TESSERA_REGISTRY: registry });
    await expectRefused(eve, ['publish', 'users', schema], 1, /eve@evil\.com is not a member of team 'core'.*tessera team add core --member eve@evil\.com/);
  });
  it('refuses a team name with a path in it', async () => {
    await expectRefused(ana, ['team', 'add', '../core', '--member', 'a@b.c'], 2, /team name/);
  });
  it('refuses a member that is not an email', async () => {
    await expectRefused(ana, ['team', 'add', 'core', '--member', 'not-an-email'], 2, /not an email/);
  });
});

describe('invalid schemas', () => {
  it('refuses a schema that is not valid JSON Schema', async () => {
    const bad = writeJson(root, 'bad.json', { type: 'object', properties: { a: { type: 12 } } });
    await expectRefused(ana, ['publish', 'users', bad], 2, /bad\.json/);
  });
  it('refuses malformed JSON with a position', async () => {
    const p = path.join(root, 'broken.json');
    writeFileSync(p, '{"type": "object",\n  "properties": {');
    await expectRefused(ana, ['publish', 'users', p], 2, /broken\.json.*line \d+/);
  });
  it('refuses a version that is not semver', async () => {
    await expectRefused(ana, ['publish', 'users', schema, '--version', '2'], 2, /not a semantic version/);
  });
});

describe('a corrupt registry', () => {
  async function corrupt(file: string, content: string): Promise<string> {
    const dir = tempDir();
    const reg = path.join(dir, 'reg.git');
    const m = machine(dir, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: reg });
    expect((await m.run(['init', reg])).exitCode).toBe(0);
    expect((await m.run(['team', 'add', 'core', '--member', 'ana@acme.com'])).exitCode).toBe(0);
    expect((await m.run(['publish', 'users', schema, '--owner', 'core'])).exitCode).toBe(0);
    // Edit by hand with plain git, as a careless person might.
    const work = path.join(dir, 'work');
    await gitIn(dir, ['clone', '--quiet', reg, work]);
    writeFileSync(path.join(work, file), content);
    await gitIn(work, ['-c', 'user.email=x@y.z', '-c', 'user.name=x', 'commit', '-qam', 'hand edit']);
    await gitIn(work, ['push', '--quiet', 'origin', 'main']);
    return reg;
  }

  it('names a corrupt tessera.yaml', async () => {
    const reg = await corrupt('tessera.yaml', 'format: [1\n');
    const m = machine(root, 'ana2', 'ana@acme.com', { TESSERA_REGISTRY: reg });
    await expectRefused(m, ['publish', 'users', schema], 3, /tessera\.yaml/, reg);
  });
  it('names an invalid asset file', async () => {
    const reg = await corrupt('assets/users/asset.yaml', 'id: users\nowner: core\ncurrent_version: banana\n');
    const m = machine(root, 'ana3', 'ana@acme.com', { TESSERA_REGISTRY: reg });
    await expectRefused(m, ['show', 'users'], 3, /assets\/users\/asset\.yaml.*current_version/, reg);
  });
});

describe('a remote that is down', () => {
  it('exits 3 with a clear message', async () => {
    const m = machine(root, 'offline', 'ana@acme.com', { TESSERA_REGISTRY: 'git://127.0.0.1:1/nothing.git' });
    const r = await m.run(['list']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot reach the registry remote git:\/\/127\.0\.0\.1:1\/nothing\.git/);
  });
});

describe('a plain git clone (work tree, main checked out) given as the registry', () => {
  it('exits 3 saying registry clones are bare and what to use instead, with the clone unchanged', async () => {
    const checkout = path.join(tempDir(), 'checkout');
    await gitIn(root, ['clone', '-q', registry, checkout]);
    // Someone else writes to the registry, so the next fetch has something to bring into main.
    expect((await ana.run(['team', 'add', 'growth', '--member', 'ana@acme.com'])).exitCode).toBe(0);
    await expectRefused(ana, ['--registry', checkout, 'list'], 3, /is a work tree with a branch checked out; Tessera keeps its registry clones bare \(use the URL itself \(--registry .*registry\.git\)/, checkout);
  });
});

describe('a remote that refuses the push', () => {
  it('exits 3 naming the refusal, with the local clone unchanged', async () => {
    const dir = tempDir();
    const remote = path.join(dir, 'remote.git');
    const m = machine(dir, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: `file://${remote}` });
    await gitIn(dir, ['init', '--bare', '--quiet', '--initial-branch=main', remote]);
    expect((await m.run(['init', path.join(dir, 'seed'), '--remote', `file://${remote}`])).exitCode).toBe(0);
    // Branch protection, as a server hook would enforce it.
    writeFileSync(path.join(remote, 'hooks', 'pre-receive'), '#!/bin/sh\necho "main is protected" >&2\nexit 1\n', { mode: 0o755 });
    const before = await refState(remote);
    const r = await m.run(['team', 'add', 'core', '--member', 'ana@acme.com']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/refused the push: pre-receive hook declined/);
    expect(await refState(remote)).toBe(before);
    const list = await m.run(['team', 'list', '--json']);
    expect(JSON.parse(list.stdout).teams).toEqual([]);
    // Nothing is left behind in the local clone either: no commit, no scratch ref.
    const cacheRoot = path.join(m.env.XDG_CACHE_HOME!, 'tessera');
    const [clone] = readdirSync(cacheRoot);
    expect(await refState(path.join(cacheRoot, clone!))).not.toMatch(/refs\/tessera\/scratch/);
  });
});

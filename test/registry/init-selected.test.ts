/**
 * `tessera init` initialises the registry every other command selects: a
 * shared remote through the normal cache clone (no DIR, nothing else to set
 * up on other machines), a second one on the same machine, a remote whose
 * HEAD was left at master, --write-config for a dbt project, and the exact
 * `tessera init` hint of a command that meets an empty remote.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tessera, type RunResult } from '../helpers/cli.js';
import { anonymousEnv, bareRemote, cleanupTempDirs, gitIn, machine, refState, tempDir, writeJson, USERS_V1, type Machine } from '../helpers/machines.js';
import { startDaemon } from '../helpers/daemon.js';

afterAll(cleanupTempDirs);

function ok(r: RunResult, what: string): RunResult {
  expect(r.exitCode, `${what}: ${r.stderr}`).toBe(0);
  return r;
}

/** One line on stderr, the exit code asked for, and nothing on stdout. */
function refused(r: RunResult, code: number, pattern: RegExp): void {
  expect(r.exitCode, r.stderr).toBe(code);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stdout).toBe('');
}

async function teamsOn(gitDir: string): Promise<string> {
  return gitIn(gitDir, ['ls-tree', '--name-only', 'main', 'teams/']);
}

/** The words of a pasted command (the hints quote with '...' only where needed). */
function words(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!));
}

function hintedInit(stderr: string): string[] {
  const m = /create it with: (tessera init[^)]*)\)/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  const [cmd, ...rest] = words(m![1]!);
  expect(cmd).toBe('tessera');
  return rest;
}

describe('tessera init of the selected shared registry', () => {
  it('TESSERA_REGISTRY=<url> tessera init on A; B uses it with no init at all; a second init says it exists and changes nothing', async () => {
    const root = tempDir('tessera-init-sel-');
    const remote = await bareRemote(root);
    const url = pathToFileURL(remote).href;
    const a = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: url });
    const b = machine(root, 'li', 'li@acme.com', { TESSERA_REGISTRY: url });

    const init = ok(await a.run(['init', '--json']), 'init');
    expect(init.stderr).toBe('');
    const out = JSON.parse(init.stdout);
    expect(out).toMatchObject({ action: 'initialised-remote', registry: { kind: 'url', url, source: 'TESSERA_REGISTRY' }, remote_head: { branch: 'main' } });
    // The cache clone every command uses is ready: it holds the commit the remote has.
    expect(out.clone.startsWith(path.join(a.env.XDG_CACHE_HOME!, 'tessera'))).toBe(true);
    const remoteMain = (await gitIn(remote, ['rev-parse', 'main'])).trim();
    expect(out.commit).toBe(remoteMain);
    expect((await gitIn(out.clone, ['rev-parse', 'main'])).trim()).toBe(remoteMain);
    expect(readdirSync(path.join(a.env.XDG_CACHE_HOME!, 'tessera')).filter((d) => d !== 'v8')).toHaveLength(1);

    ok(await b.run(['team', 'add', 'growth', '--member', 'li@acme.com']), 'B team add');
    ok(await a.run(['team', 'add', 'core', '--member', 'ana@acme.com']), 'A team add');
    ok(await a.run(['publish', 'users', writeJson(root, 'users.json', USERS_V1), '--owner', 'core']), 'A publish');
    ok(await b.run(['consume', 'users', '--team', 'growth', '--purpose', 'dashboards']), 'B consume');
    expect(await gitIn(remote, ['ls-tree', '-r', '--name-only', 'main'])).toContain('assets/users/consumers/growth.yaml');

    const before = await refState(remote);
    for (const m of [a, b]) {
      const again = await m.run(['init']);
      refused(again, 2, new RegExp(`${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} already holds a Tessera registry \\(initialised \\S+ by ana@acme\\.com\\).*nothing to do`));
    }
    refused(await b.run(['init', '--registry', url]), 2, /already holds a Tessera registry.*use it with --registry/);
    expect(await refState(remote)).toBe(before);
  });

  it('a second shared registry on the same machine needs no directory: two URLs, two inits, both usable', async () => {
    const root = tempDir('tessera-init-two-');
    const [u1, u2] = [pathToFileURL(await bareRemote(root, 'one.git')).href, pathToFileURL(await bareRemote(root, 'two.git')).href];
    const m = machine(root, 'ana', 'ana@acme.com');
    ok(await m.run(['init', '--registry', u1]), 'init one');
    ok(await m.run(['init', '--remote', u2]), 'init two (--remote without DIR)');
    ok(await m.run(['team', 'add', 'first', '--member', 'ana@acme.com', '--registry', u1]), 'team on one');
    ok(await m.run(['team', 'add', 'second', '--member', 'ana@acme.com', '--registry', u2]), 'team on two');
    expect(await teamsOn(path.join(root, 'one.git'))).toBe('teams/first.yaml');
    expect(await teamsOn(path.join(root, 'two.git'))).toBe('teams/second.yaml');
    expect(existsSync(path.join(m.env.TESSERA_HOME!, 'registry'))).toBe(false);

    // A clone of one's own of an existing shared registry (init DIR --remote) still works, and says so in JSON.
    const mine = path.join(root, 'mine');
    const cloned = ok(await m.run(['init', mine, '--remote', u1, '--json']), 'clone of one');
    expect(JSON.parse(cloned.stdout)).toEqual({
      schema_version: 'tessera.init/v1',
      action: 'cloned',
      registry: { kind: 'url', url: u1, source: 'argument' },
      clone: mine,
      commit: null,
      remote_head: null,
      config: null,
    });
    expect(await teamsOn(mine)).toBe('teams/first.yaml');
  });

  it('two inits racing on one empty remote: exactly one wins, the other says it exists', async () => {
    const root = tempDir('tessera-init-race-');
    const url = pathToFileURL(await bareRemote(root)).href;
    const ms = ['a', 'b', 'c', 'd'].map((n) => machine(root, n, `${n}@acme.com`, { TESSERA_REGISTRY: url }));
    const results = await Promise.all(ms.map((m) => m.run(['init'])));
    expect(results.filter((r) => r.exitCode === 0)).toHaveLength(1);
    for (const r of results.filter((x) => x.exitCode !== 0)) refused(r, 2, /already holds a Tessera registry/);
    expect((await gitIn(path.join(root, 'remote.git'), ['rev-list', '--count', 'main'])).trim()).toBe('1');
    // Every loser's cache clone is at the winner's commit: its next command works.
    for (const m of ms) ok(await m.run(['team', 'list']), `${m.name} team list`);
  });
});

describe('the remote HEAD', () => {
  it('a remote made by git init --bare with HEAD at master: after init, git clone checks out tessera.yaml', async () => {
    const root = tempDir('tessera-init-head-');
    const m = machine(root, 'ana', 'ana@acme.com');
    for (const [name, args] of [
      ['selected.git', (u: string) => ['init', '--registry', u]],
      ['clone-dir.git', (u: string) => ['init', path.join(root, 'mine'), '--remote', u]],
    ] as const) {
      const remote = path.join(root, name);
      await gitIn(root, ['-c', 'init.defaultBranch=master', 'init', '--bare', '--quiet', remote]);
      expect((await gitIn(remote, ['symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/master');
      const r = ok(await m.run([...args(pathToFileURL(remote).href), '--json']), name);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).remote_head).toEqual({ branch: 'main', status: 'set' });
      expect((await gitIn(remote, ['symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/main');
      const work = path.join(root, `work-${name}`);
      await gitIn(root, ['clone', '--quiet', remote, work]);
      expect(readdirSync(work).sort()).toEqual(['.git', 'README.md', 'tessera.yaml']);
    }
  });

  it('an empty bare repository given as a path is initialised in place, HEAD on main', async () => {
    const root = tempDir('tessera-init-inplace-');
    const m = machine(root, 'ana', 'ana@acme.com');
    const repo = path.join(root, 'shared.git');
    await gitIn(root, ['-c', 'init.defaultBranch=master', 'init', '--bare', '--quiet', repo]);
    const r = ok(await m.run(['init', '--registry', repo, '--json']), 'init');
    expect(JSON.parse(r.stdout)).toMatchObject({ action: 'created', registry: { kind: 'path', path: repo, source: '--registry' } });
    expect((await gitIn(repo, ['symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/main');
    ok(await m.run(['team', 'add', 'core', '--member', 'ana@acme.com', '--registry', repo]), 'team add');
  });

  it('tessera init DIR: a local registry that git clone checks out', async () => {
    const root = tempDir('tessera-init-local-');
    const m = machine(root, 'ana', 'ana@acme.com', { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'init.defaultBranch', GIT_CONFIG_VALUE_0: 'master' });
    const dir = path.join(root, 'reg.git');
    ok(await m.run(['init', dir]), 'init');
    await gitIn(root, ['clone', '--quiet', dir, path.join(root, 'work')]);
    expect(existsSync(path.join(root, 'work', 'tessera.yaml'))).toBe(true);
  });

  it('a remote whose HEAD only the server can change (git://): one notice line saying how', async () => {
    const root = tempDir('tessera-init-daemon-');
    const served = path.join(root, 'served');
    mkdirSync(served);
    await gitIn(served, ['-c', 'init.defaultBranch=master', 'init', '--bare', '--quiet', 'remote.git']);
    const daemon = await startDaemon(served);
    try {
      const m = machine(root, 'ana', 'ana@acme.com');
      const r = ok(await m.run(['init', '--registry', daemon.url('remote.git'), '--json']), 'init');
      expect(JSON.parse(r.stdout).remote_head).toEqual({ branch: null, status: 'other' });
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/default branch names a branch that does not exist.*set it to main on the server/);
      expect((await gitIn(path.join(served, 'remote.git'), ['symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/master');
      ok(await m.run(['team', 'add', 'core', '--member', 'ana@acme.com', '--registry', daemon.url('remote.git')]), 'team add');
    } finally {
      await daemon.stop();
    }
  });
});

describe('init --write-config', () => {
  it('writes .tessera.yaml in the current directory; the next command below it picks it up; refuses a conflicting one', async () => {
    const root = tempDir('tessera-init-config-');
    const m = machine(root, 'ana', 'ana@acme.com');
    const project = path.join(root, 'dbt-project');
    mkdirSync(path.join(project, 'models'), { recursive: true });
    await gitIn(project, ['init', '--quiet']);
    const run = (cwd: string, args: string[]) => tessera(args, { cwd, env: m.env });

    // A relative path, written so that it resolves from the file's directory.
    const r = ok(await run(project, ['init', '--registry', '../contracts.git', '--write-config', '--json']), 'init');
    expect(JSON.parse(r.stdout)).toMatchObject({ action: 'created', config: { path: path.join(project, '.tessera.yaml'), registry: '../contracts.git', action: 'written' } });
    expect(readFileSync(path.join(project, '.tessera.yaml'), 'utf8')).toMatch(/^registry: \.\.\/contracts\.git$/m);
    ok(await run(path.join(project, 'models'), ['team', 'add', 'core', '--member', 'ana@acme.com']), 'team add from a subdirectory');
    expect(await teamsOn(path.join(root, 'contracts.git'))).toBe('teams/core.yaml');

    // The same registry again (given absolute this time): a no-op; the registry exists and that is fine with --write-config.
    const same = ok(await run(project, ['init', '--registry', path.join(root, 'contracts.git'), '--write-config', '--json']), 'same');
    expect(JSON.parse(same.stdout)).toMatchObject({ action: 'exists', config: { action: 'unchanged' } });

    // Another registry: refused, the file and the other registry untouched.
    const text = readFileSync(path.join(project, '.tessera.yaml'), 'utf8');
    const other = path.join(root, 'other.git');
    ok(await m.run(['init', other]), 'init other');
    const before = await refState(other);
    refused(await run(project, ['init', '--registry', other, '--write-config']), 2, /\.tessera\.yaml already names another registry \(\.\.\/contracts\.git\)/);
    expect(readFileSync(path.join(project, '.tessera.yaml'), 'utf8')).toBe(text);
    expect(await refState(other)).toBe(before);
  });

  it('a shared registry that already exists: --write-config writes the URL; the default registry cannot be written', async () => {
    const root = tempDir('tessera-init-config-url-');
    const url = pathToFileURL(await bareRemote(root)).href;
    const m = machine(root, 'ana', 'ana@acme.com');
    ok(await m.run(['init', '--registry', url]), 'init');
    const project = path.join(root, 'p');
    mkdirSync(project);
    const r = ok(await tessera(['init', '--registry', url, '--write-config'], { cwd: project, env: m.env }), 'write-config');
    expect(r.stdout).toMatch(/exists already[\s\S]*Wrote .*\.tessera\.yaml/);
    ok(await tessera(['team', 'add', 'core', '--member', 'ana@acme.com'], { cwd: project, env: m.env }), 'team add via the file');
    expect(await teamsOn(path.join(root, 'remote.git'))).toBe('teams/core.yaml');

    const bare = path.join(root, 'q');
    mkdirSync(bare);
    refused(await tessera(['init', '--write-config'], { cwd: bare, env: m.env }), 2, /--write-config needs a registry to name/);
    expect(readdirSync(bare)).toEqual([]);
  });
});

describe('the "run tessera init" hint is the exact command', () => {
  async function pasteAndRetry(m: Machine, cwd: string, args: string[], env: Record<string, string> = {}): Promise<string[]> {
    const run = (a: string[]) => tessera(a, { cwd, env: { ...m.env, ...env } });
    const first = await run(args);
    expect(first.exitCode, first.stderr).toBe(3);
    expect(first.stderr.trim().split('\n')).toHaveLength(1);
    const init = hintedInit(first.stderr);
    ok(await run(init), `pasted: ${init.join(' ')}`);
    ok(await run(args), 'the original command after the pasted init');
    return init;
  }

  it('--registry <url>: tessera init --registry <url>; pasted, the original command then works', async () => {
    const root = tempDir('tessera-hint-flag-');
    const url = pathToFileURL(await bareRemote(root, 'with space.git')).href;
    const m = machine(root, 'ana', 'ana@acme.com');
    expect(await pasteAndRetry(m, root, ['team', 'add', 'core', '--member', 'ana@acme.com', '--registry', url])).toEqual(['init', '--registry', url]);
  });

  it('TESSERA_REGISTRY=<url>: plain tessera init', async () => {
    const root = tempDir('tessera-hint-env-');
    const url = pathToFileURL(await bareRemote(root)).href;
    const m = machine(root, 'ana', 'ana@acme.com');
    expect(await pasteAndRetry(m, root, ['team', 'add', 'core', '--member', 'ana@acme.com'], { TESSERA_REGISTRY: url })).toEqual(['init']);
  });

  it('.tessera.yaml naming an empty remote: plain tessera init, run where the command ran', async () => {
    const root = tempDir('tessera-hint-file-');
    const url = pathToFileURL(await bareRemote(root)).href;
    const m = machine(root, 'ana', 'ana@acme.com');
    const project = path.join(root, 'proj');
    mkdirSync(path.join(project, 'sub'), { recursive: true });
    await gitIn(project, ['init', '--quiet']);
    writeFileSync(path.join(project, '.tessera.yaml'), `registry: ${url}\n`);
    expect(await pasteAndRetry(m, path.join(project, 'sub'), ['team', 'add', 'core', '--member', 'ana@acme.com'])).toEqual(['init']);
  });

  it('--registry <missing path>: tessera init --registry <path>', async () => {
    const root = tempDir('tessera-hint-path-');
    const m = machine(root, 'ana', 'ana@acme.com');
    const dir = path.join(root, 'not yet.git');
    expect(await pasteAndRetry(m, root, ['team', 'list', '--registry', dir])).toEqual(['init', '--registry', dir]);
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    expect(await pasteAndRetry(m, root, ['team', 'list', '--registry', empty])).toEqual(['init', '--registry', empty]);
  });
});

describe('init: bad inputs', () => {
  it('an existing local registry: exit 2, one line naming it and what to do, refs unchanged', async () => {
    const root = tempDir('tessera-init-bad-');
    const m = machine(root, 'ana', 'ana@acme.com');
    const dir = path.join(root, 'reg.git');
    ok(await m.run(['init', dir]), 'init');
    const before = await refState(dir);
    refused(await m.run(['init', dir]), 2, /a registry already exists at .*reg\.git \(initialised .* by ana@acme\.com\) \(nothing to do: use it with --registry .*reg\.git, or choose another directory\)/);
    refused(await m.run(['init', '--registry', dir]), 2, /a registry already exists at/);
    refused(await tessera(['init'], { cwd: root, env: { ...m.env, TESSERA_REGISTRY: dir } }), 2, /a registry already exists at .*commands already use it, selected by env TESSERA_REGISTRY/);
    expect(await refState(dir)).toBe(before);
  });

  it('the default registry twice: the second says it exists', async () => {
    const root = tempDir('tessera-init-default-');
    const m = machine(root, 'ana', 'ana@acme.com');
    const r = ok(await m.run(['init', '--json']), 'init');
    expect(JSON.parse(r.stdout).registry).toEqual({ kind: 'path', path: path.join(m.env.TESSERA_HOME!, 'registry'), source: 'default' });
    refused(await m.run(['init']), 2, /a registry already exists at .*selected by default/);
  });

  it('a non-empty directory that is not a registry: exit 2, the directory untouched', async () => {
    const root = tempDir('tessera-init-nonempty-');
    const m = machine(root, 'ana', 'ana@acme.com');
    const dir = path.join(root, 'stuff');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
    for (const args of [['init', dir], ['init', '--registry', dir]]) {
      refused(await m.run(args), 2, /stuff already exists and is not empty/);
      expect(readdirSync(dir)).toEqual(['notes.txt']);
    }
  });

  it('an unreachable remote: exit 3, one line, no cache clone left behind', async () => {
    const root = tempDir('tessera-init-unreach-');
    const m = machine(root, 'ana', 'ana@acme.com');
    for (const url of [pathToFileURL(path.join(root, 'nothing-here.git')).href, 'git://127.0.0.1:1/nothing.git']) {
      refused(await m.run(['init', '--registry', url]), 3, /cannot reach the registry remote/);
    }
    const cache = path.join(m.env.XDG_CACHE_HOME!, 'tessera');
    expect((existsSync(cache) ? readdirSync(cache) : []).filter((d) => d !== 'v8')).toEqual([]);
  });

  it('no git identity: an empty shared remote is not initialised (exit 2, the identity fix), and stays empty', async () => {
    const root = tempDir('tessera-init-anon-');
    const remote = await bareRemote(root);
    const r = await tessera(['init'], { cwd: root, env: anonymousEnv(root, { TESSERA_REGISTRY: pathToFileURL(remote).href }) as Record<string, string> });
    refused(r, 2, /no git identity.*git config --global user\.email/);
    expect(await refState(remote)).toBe('');
  });

  it('a remote with branches but no registry: exit 2 naming them, the remote unchanged', async () => {
    const root = tempDir('tessera-init-foreign-');
    const remote = await bareRemote(root);
    const work = path.join(root, 'work');
    await gitIn(root, ['init', '--quiet', '--initial-branch=develop', work]);
    writeFileSync(path.join(work, 'x.sql'), 'select 1\n');
    await gitIn(work, ['add', '.']);
    await gitIn(work, ['-c', 'user.email=x@acme.com', '-c', 'user.name=x', 'commit', '--quiet', '-m', 'x']);
    await gitIn(work, ['push', '--quiet', remote, 'develop']);
    const before = await refState(remote);
    const m = machine(root, 'ana', 'ana@acme.com');
    const url = pathToFileURL(remote).href;
    refused(await m.run(['init', '--registry', url]), 2, /is not empty and holds no Tessera registry \(branches: develop\)/);
    refused(await m.run(['init', path.join(root, 'clone'), '--remote', url]), 2, /holds no Tessera registry/);
    expect(existsSync(path.join(root, 'clone'))).toBe(false);
    expect(await refState(remote)).toBe(before);
  });

  it('--remote and --registry naming different registries, DIR with --write-config, a URL as DIR: exit 2', async () => {
    const root = tempDir('tessera-init-usage-');
    const m = machine(root, 'ana', 'ana@acme.com');
    refused(await m.run(['init', '--remote', 'file:///a.git', '--registry', 'file:///b.git']), 2, /--remote and --registry name different registries/);
    refused(await m.run(['init', path.join(root, 'd'), '--write-config']), 2, /--write-config names the selected registry, not DIR/);
    refused(await m.run(['init', 'git@github.com:acme/contracts.git']), 2, /is a URL, not a directory.*tessera init --registry git@github\.com:acme\/contracts\.git/);
    expect(readdirSync(root).sort()).toEqual(['home-ana']);
  });
});

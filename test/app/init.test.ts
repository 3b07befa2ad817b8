/**
 * app/init and app/open: making a registry is the registry.initialised
 * event, naming its first commit (main's head, on the remote too for a
 * shared one); finding one that exists makes no event. Notices are data,
 * also when a failure after the registry was made cuts the run short.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { init, type InitFailure } from '../../src/app/init.js';
import { openRegistry } from '../../src/app/open.js';
import { InputError } from '../../src/core/errors.js';
import { NoRegistryError, type RegistryLocation } from '../../src/registry/locate.js';
import { bareRemote, cleanupTempDirs, gitIn, refState, tempDir } from '../helpers/machines.js';
import { startDaemon } from '../helpers/daemon.js';
import { ANA, AT, AT_ISO, eventTrailers, head } from './temp-registry.js';

afterAll(cleanupTempDirs);

const ctx = { identity: async () => ANA, now: () => AT };
const at = (dir: string): RegistryLocation => ({ kind: 'path', path: dir, source: '--registry', isDefault: false, given: dir });
const initialised = (commit: string) => ({ type: 'registry.initialised', actor: 'ana@acme.com', at: AT_ISO, commit });

describe('app init', () => {
  it('creates a local registry: one event naming its first commit; a second init is refused and changes nothing', async () => {
    const dir = path.join(tempDir('tessera-app-init-'), 'r.git');
    const out = await init(ctx, { location: at(dir) });
    const first = await head(dir);
    expect(out.result).toMatchObject({ action: 'created', gitDir: dir, commit: first, config: undefined, notices: [] });
    expect(out.commits).toEqual({ 'refs/heads/main': first });
    expect(out.events).toEqual([initialised(first)]);
    expect(await eventTrailers(dir, first)).toEqual(['registry.initialised']);
    expect((await gitIn(dir, ['log', '-1', '--format=%ae %at', first])).trim()).toBe(`ana@acme.com ${AT.getTime() / 1000}`);

    const refs = await refState(dir);
    await expect(init(ctx, { location: at(dir) })).rejects.toThrow(/a registry already exists at .* \(initialised \S+ by ana@acme\.com\)/);
    expect(await refState(dir)).toBe(refs);
  });

  it('with --write-config: an existing registry is no error and makes no event; .tessera.yaml names it', async () => {
    const root = tempDir('tessera-app-init-config-');
    const dir = path.join(root, 'r.git');
    await init(ctx, { location: at(dir) });
    const project = path.join(root, 'project');
    mkdirSync(project);
    const out = await init(ctx, { location: { ...at(dir), given: '../r.git' }, writeConfigIn: project });
    expect(out.result).toMatchObject({ action: 'exists', commit: undefined, config: { file: path.join(project, '.tessera.yaml'), registry: '../r.git', action: 'written' } });
    expect(out.events).toEqual([]);
    expect(out.commits).toEqual({});
    expect(readFileSync(path.join(project, '.tessera.yaml'), 'utf8')).toMatch(/^registry: \.\.\/r\.git$/m);
  });

  it('initialises an empty remote through the cache clone; DIR --remote of it then clones and makes no event', async () => {
    const root = tempDir('tessera-app-init-url-');
    const remote = await bareRemote(root);
    const url = pathToFileURL(remote).href;
    const cacheDir = path.join(root, 'cache', 'r');
    const out = await init(ctx, { location: { kind: 'url', url, cacheDir, source: '--registry' } });
    const remoteMain = await head(remote);
    expect(await head(cacheDir)).toBe(remoteMain);
    expect(out.result).toMatchObject({ action: 'initialised-remote', gitDir: cacheDir, commit: remoteMain, remoteHead: { branch: 'main', status: 'main' }, notices: [] });
    expect(out.events).toEqual([initialised(remoteMain)]);

    const mine = path.join(root, 'mine');
    const cloned = await init(ctx, { location: { kind: 'url', url, cacheDir: mine, source: 'argument' }, ownClone: true });
    expect(cloned.result).toMatchObject({ action: 'cloned', gitDir: mine, commit: undefined });
    expect(cloned.events).toEqual([]);
    expect(await head(mine)).toBe(remoteMain);
  });

  it('a remote whose HEAD only the server can change: the notice is in the result, or on the error of a --write-config refused afterwards', async () => {
    const root = tempDir('tessera-app-init-daemon-');
    const served = path.join(root, 'served');
    mkdirSync(served);
    for (const name of ['a.git', 'b.git']) await gitIn(served, ['-c', 'init.defaultBranch=master', 'init', '--bare', '--quiet', name]);
    const daemon = await startDaemon(served);
    try {
      const a = await init(ctx, { location: { kind: 'url', url: daemon.url('a.git'), cacheDir: path.join(root, 'cache-a'), source: '--registry' } });
      expect(a.result.notices).toHaveLength(1);
      expect(a.result.notices[0]).toMatch(/^tessera: the remote's default branch names a branch that does not exist.*set it to main on the server/);
      expect(a.events).toEqual([initialised(await head(path.join(served, 'a.git')))]);

      const project = path.join(root, 'project');
      mkdirSync(project);
      writeFileSync(path.join(project, '.tessera.yaml'), 'registry: ../elsewhere.git\n');
      const refused = init(ctx, { location: { kind: 'url', url: daemon.url('b.git'), cacheDir: path.join(root, 'cache-b'), source: '--registry' }, writeConfigIn: project });
      const error = await refused.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(/already names another registry/);
      expect((error as InitFailure).initNotices).toEqual(a.result.notices);
      // As before the move: the remote was initialised before the file was refused.
      expect(await gitIn(path.join(served, 'b.git'), ['ls-tree', '--name-only', 'main'])).toContain('tessera.yaml');
      expect(readFileSync(path.join(project, '.tessera.yaml'), 'utf8')).toBe('registry: ../elsewhere.git\n');
    } finally {
      await daemon.stop();
    }
  });
});

describe('app openRegistry', () => {
  it('makes the default registry on first use (an event and a notice), and only then', async () => {
    const dir = path.join(tempDir('tessera-app-open-'), 'home', 'registry');
    const location: RegistryLocation = { kind: 'path', path: dir, source: 'default', isDefault: true };
    const first = await openRegistry(ctx, { location });
    first.close();
    expect(first.events).toEqual([initialised(await head(dir))]);
    expect(first.notices).toEqual([`tessera: created the default local registry at ${dir}`]);

    const again = await openRegistry(ctx, { location });
    again.close();
    expect(again.events).toEqual([]);
    expect(again.notices).toEqual([]);
  });

  it('a dry run without the default registry plans against a scratch one, removed on close; nothing is created', async () => {
    const dir = path.join(tempDir('tessera-app-open-dry-'), 'home', 'registry');
    const opened = await openRegistry(ctx, { location: { kind: 'path', path: dir, source: 'default', isDefault: true }, dryRun: true });
    const scratch = opened.repo.gitDir;
    expect(scratch).not.toBe(dir);
    expect(await eventTrailers(scratch, 'main')).toEqual(['registry.initialised']);
    expect(opened.events).toEqual([]);
    expect(opened.notices).toEqual([`tessera: no registry at ${dir} yet; dry run against an empty one (nothing is created)`]);
    opened.close();
    expect(existsSync(scratch)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('a registry that does not exist (not the default) is an error and nothing is made', async () => {
    const dir = path.join(tempDir('tessera-app-open-missing-'), 'nowhere.git');
    const opening = openRegistry(ctx, { location: at(dir) });
    await expect(opening).rejects.toBeInstanceOf(NoRegistryError);
    await expect(opening).rejects.toThrow(`no registry at ${dir}`);
    expect(existsSync(dir)).toBe(false);
  });
});

/**
 * .pre-commit-hooks.yaml: only keys pre-commit knows, and each hook's entry,
 * run as pre-commit runs a `language: system` hook (entry words + args + the
 * selected files, in the repository's root, with the `tessera` on PATH), on a
 * real producer repository and a real dbt project.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { cleanupTempDirs, gitIn, refState, tempDir, writeJson, USERS_V1, USERS_V1_1, USERS_V2_NO_EMAIL } from '../helpers/machines.js';
import { isolatedEnv, pathWith, runCommand, tesseraBinDir } from './helpers.js';

afterAll(cleanupTempDirs);

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files?: string;
  exclude?: string;
  types?: string[];
  types_or?: string[];
  args?: string[];
  pass_filenames?: boolean;
}

/** The keys of a hook in .pre-commit-hooks.yaml (pre-commit.com "Creating new hooks"; MANIFEST_HOOK_DICT in pre_commit/clientlib.py). */
const MANIFEST_KEYS = [
  'id', 'name', 'entry', 'language', 'alias', 'files', 'exclude', 'types', 'types_or', 'exclude_types',
  'additional_dependencies', 'args', 'always_run', 'fail_fast', 'pass_filenames', 'description',
  'language_version', 'log_file', 'minimum_pre_commit_version', 'require_serial', 'stages', 'verbose',
];
const REQUIRED_KEYS = ['id', 'name', 'entry', 'language'];

const HOOKS = parse(readFileSync(path.join(PROJECT_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = (id: string): Hook => {
  const h = HOOKS.find((x) => x.id === id);
  if (!h) throw new Error(`no hook ${id} in .pre-commit-hooks.yaml`);
  return h;
};

/** identify's tags for the file names these tests use. */
function tags(file: string): string[] {
  const ext = path.extname(file);
  const byExt: Record<string, string> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml', '.sql': 'sql', '.md': 'markdown' };
  return ['file', 'text', ...(byExt[ext] ? [byExt[ext]] : [])];
}

/** The files pre-commit hands a hook (its definition with the user's overrides on top). */
function selected(h: Hook, staged: string[]): string[] {
  return staged.filter((f) => {
    const t = tags(f);
    return new RegExp(h.files ?? '').test(f)
      && !new RegExp(h.exclude ?? '^$').test(f)
      && (h.types ?? ['file']).every((x) => t.includes(x))
      && ((h.types_or ?? []).length === 0 || h.types_or!.some((x) => t.includes(x)));
  });
}

/** The command pre-commit runs: the entry's words, the hook's args, then the files unless pass_filenames is false. */
function command(h: Hook, files: string[]): string[] {
  expect(h.entry, 'entries here are plain words (pre-commit shlex-splits them)').toMatch(/^[\w .-]+$/);
  return [...h.entry.split(/\s+/), ...(h.args ?? []), ...(h.pass_filenames === false ? [] : files)];
}

describe('.pre-commit-hooks.yaml', () => {
  it('defines tessera-check and tessera-sync-dbt as system hooks with only keys pre-commit knows', () => {
    expect(HOOKS.map((h) => h.id)).toEqual(['tessera-check', 'tessera-sync-dbt']);
    for (const h of HOOKS) {
      for (const k of Object.keys(h)) expect(MANIFEST_KEYS, `${h.id}.${k}`).toContain(k);
      for (const k of REQUIRED_KEYS) expect(typeof (h as unknown as Record<string, unknown>)[k], `${h.id}.${k}`).toBe('string');
      expect(h.language).toBe('system');
      expect(h.entry.split(' ')[0]).toBe('tessera');
      for (const re of [h.files, h.exclude]) if (re !== undefined) expect(() => new RegExp(re)).not.toThrow();
    }
    // The `tessera` the hooks expect on PATH is the bin this package installs.
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain('tessera');
  });

  it('tessera-check: passes a compatible contract file, fails a breaking one, writes nothing', async () => {
    const root = tempDir('tessera-hook-check-');
    const PATH = pathWith(tesseraBinDir(root));
    const registry = path.join(root, 'registry');
    const owner = { cwd: root, env: { ...isolatedEnv(root, 'pat', 'pat@acme.com'), PATH, TESSERA_REGISTRY: registry } };
    const ok = async (argv: string[]) => {
      const r = await runCommand(argv, owner);
      expect(r.exitCode, r.stderr).toBe(0);
    };
    await ok(['tessera', 'init', registry]);
    await ok(['tessera', 'team', 'add', 'core', '--member', 'pat@acme.com']);
    await ok(['tessera', 'team', 'add', 'growth', '--member', 'pat@acme.com']);
    await ok(['tessera', 'publish', 'events.users', writeJson(root, 'v1.json', USERS_V1), '--owner', 'core', '--kind', 'topic']);
    await ok(['tessera', 'consume', 'events.users', '--team', 'growth']);

    // The producer's repository names the registry in .tessera.yaml, relative to itself.
    const repo = path.join(root, 'producer');
    mkdirSync(path.join(repo, 'contracts'), { recursive: true });
    await gitIn(repo, ['init', '--quiet']);
    writeFileSync(path.join(repo, '.tessera.yaml'), 'registry: ../registry\n');
    writeJson(path.join(repo, 'contracts'), 'orders.json', { type: 'object' });
    const developer = { cwd: repo, env: { ...isolatedEnv(root, 'dev', 'dev@acme.com'), PATH } };
    const staged = ['contracts/users.json', 'contracts/orders.json', 'README.md'];
    // The user's .pre-commit-config.yaml entry for this contract, on top of the definition.
    const users = { ...hook('tessera-check'), args: ['events.users'], files: '^contracts/users\\.json$' };
    expect(selected(users, staged)).toEqual(['contracts/users.json']);
    const run = () => runCommand(command(users, selected(users, staged)), developer);
    const before = await refState(registry);

    writeJson(path.join(repo, 'contracts'), 'users.json', USERS_V1_1);
    const compatible = await run();
    expect(compatible.exitCode, compatible.stderr).toBe(0);
    expect(compatible.stdout).toContain('compatible');

    writeJson(path.join(repo, 'contracts'), 'users.json', USERS_V2_NO_EMAIL);
    const breaking = await run();
    expect(breaking.exitCode, breaking.stdout).toBe(1);
    expect(breaking.stdout).toContain('/properties/email');
    expect(breaking.stdout).toContain('growth');

    writeFileSync(path.join(repo, 'contracts', 'users.json'), '{"type": "object",');
    const invalid = await run();
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr.trim().split('\n')).toHaveLength(1);
    expect(invalid.stderr).toContain('contracts/users.json');

    // Without its own `files` the entry gets every JSON/YAML file: a usage error, not a silent pass.
    const unconfigured = { ...hook('tessera-check'), args: ['events.users'] };
    expect(selected(unconfigured, staged)).toEqual(['contracts/users.json', 'contracts/orders.json']);
    const loud = await runCommand(command(unconfigured, selected(unconfigured, staged)), developer);
    expect(loud.exitCode).toBe(2);
    expect(loud.stderr).toContain('too many arguments');

    expect(await refState(registry)).toBe(before);
  });

  it('tessera-sync-dbt: passes the synced manifest, fails the breaking one, writes nothing', async () => {
    const root = tempDir('tessera-hook-dbt-');
    const PATH = pathWith(tesseraBinDir(root));
    const registry = path.join(root, 'registry');
    const demo = (f: string) => path.join(PROJECT_ROOT, 'fixtures', 'dbt-demo', f);
    const ci = { cwd: root, env: { ...isolatedEnv(root, 'ci', 'ci@acme.com'), PATH, TESSERA_REGISTRY: registry } };
    expect((await runCommand(['tessera', 'init', registry], ci)).exitCode).toBe(0);
    const synced = await runCommand(['tessera', 'sync-dbt', demo('manifest.json')], ci);
    expect(synced.exitCode, synced.stderr).toBe(0);

    const project = path.join(root, 'shop');
    mkdirSync(path.join(project, 'target'), { recursive: true });
    await gitIn(project, ['init', '--quiet']);
    writeFileSync(path.join(project, '.tessera.yaml'), `registry: ${registry}\n`);
    // A developer of the owner team (the demo's group commerce), as a sync would need.
    const developer = { cwd: project, env: { ...isolatedEnv(root, 'lee', 'commerce-lead@example.com'), PATH } };
    const h = hook('tessera-sync-dbt');
    const staged = ['target/manifest.json', 'target/run_results.json', 'models/orders.sql', 'sub/target/manifest.json'];
    expect(selected(h, staged)).toEqual(['target/manifest.json']);
    const run = () => runCommand(command(h, selected(h, staged)), developer);
    const before = await refState(registry);

    copyFileSync(demo('manifest.json'), path.join(project, 'target', 'manifest.json'));
    const same = await run();
    expect(same.exitCode, same.stderr).toBe(0);
    expect(same.stdout).toContain('the registry already matches the manifest');

    copyFileSync(demo('manifest-breaking.json'), path.join(project, 'target', 'manifest.json'));
    const breaking = await run();
    expect(breaking.exitCode, breaking.stdout).toBe(1);
    expect(breaking.stdout, breaking.stderr).toContain('would open 2 proposal(s); nothing written');
    expect(breaking.stdout).toContain('analytics.marts.customers /properties/email');

    // Someone outside the owner team is told so, as a real sync would refuse them.
    const outsider = await runCommand(command(h, selected(h, staged)), { cwd: project, env: { ...isolatedEnv(root, 'dev', 'dev@acme.com'), PATH } });
    expect(outsider.exitCode).toBe(1);
    expect(outsider.stderr).toContain('dev@acme.com is not a member of owner team');

    expect(await refState(registry)).toBe(before);
  });
});

/**
 * Which registry a command uses (--registry, TESSERA_REGISTRY, .tessera.yaml,
 * the default with a notice), and the read commands' filters.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tessera } from '../helpers/cli.js';
import { cleanupTempDirs, gitIn, machine, tempDir, writeJson, USERS_V1, USERS_V1_1 } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

async function teamsOf(registry: string): Promise<string> {
  return gitIn(registry, ['ls-tree', '--name-only', 'main', 'teams/']);
}

describe('registry resolution', () => {
  it('prefers --registry, then TESSERA_REGISTRY, then .tessera.yaml, then the default (created with a notice)', async () => {
    const root = tempDir();
    const [flag, env, project] = ['flag.git', 'env.git', 'project.git'].map((n) => path.join(root, n)) as [string, string, string];
    const m = machine(root, 'ana', 'ana@acme.com');
    for (const r of [flag, env, project]) expect((await m.run(['init', r])).exitCode).toBe(0);
    const work = path.join(root, 'work', 'sub');
    mkdirSync(work, { recursive: true });
    mkdirSync(path.join(root, 'work', '.git'));
    writeFileSync(path.join(root, 'work', '.tessera.yaml'), 'registry: ../project.git\n');
    const run = (args: string[], extra: Record<string, string> = {}) => tessera(args, { cwd: work, env: { ...m.env, ...extra } });

    expect((await run(['team', 'add', 'via-flag', '--registry', flag], { TESSERA_REGISTRY: env })).exitCode).toBe(0);
    expect((await run(['team', 'add', 'via-env'], { TESSERA_REGISTRY: env })).exitCode).toBe(0);
    expect((await run(['team', 'add', 'via-project'])).exitCode).toBe(0);
    expect(await teamsOf(flag)).toContain('teams/via-flag.yaml');
    expect(await teamsOf(env)).toContain('teams/via-env.yaml');
    expect(await teamsOf(project)).toContain('teams/via-project.yaml');
    expect(await teamsOf(env)).not.toContain('via-flag');

    // Outside any project: the default registry, created on first use with a one-line notice on stderr.
    const elsewhere = await tessera(['team', 'add', 'via-default', '--json'], { cwd: root, env: m.env });
    expect(elsewhere.exitCode, elsewhere.stderr).toBe(0);
    expect(elsewhere.stderr.trim()).toBe(`tessera: created the default local registry at ${path.join(m.env.TESSERA_HOME!, 'registry')}`);
    expect(JSON.parse(elsewhere.stdout).action).toBe('team.created');
    expect(await teamsOf(path.join(m.env.TESSERA_HOME!, 'registry'))).toContain('teams/via-default.yaml');
  });

  it('names a broken .tessera.yaml', async () => {
    const root = tempDir();
    const m = machine(root, 'ana', 'ana@acme.com');
    writeFileSync(path.join(root, '.tessera.yaml'), 'registry: [unclosed\n');
    const r = await tessera(['list'], { cwd: root, env: m.env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/\.tessera\.yaml is not valid YAML/);
  });
});

describe('read commands', () => {
  it('list filters by owner, consumer and search; versions lists every version', async () => {
    const root = tempDir();
    const registry = path.join(root, 'r.git');
    const m = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: registry });
    const ok = async (args: string[]) => {
      const r = await m.run([...args, '--json']);
      expect(r.exitCode, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    await m.run(['init', registry]);
    await ok(['team', 'add', 'core', '--member', 'ana@acme.com']);
    await ok(['team', 'add', 'growth', '--member', 'ana@acme.com']);
    await ok(['publish', 'users', writeJson(root, 'u.json', USERS_V1), '--owner', 'core', '--description', 'Everyone who signed up']);
    await ok(['publish', 'orders', writeJson(root, 'o.json', USERS_V1), '--owner', 'growth']);
    await ok(['publish', 'users', writeJson(root, 'u2.json', USERS_V1_1)]);
    await ok(['consume', 'orders', '--team', 'core', '--fields', 'user_id, email']);

    const ids = async (args: string[]) => (await ok(['list', ...args])).assets.map((a: { id: string }) => a.id);
    expect(await ids([])).toEqual(['orders', 'users']);
    expect(await ids(['--owner', 'core'])).toEqual(['users']);
    expect(await ids(['--consumer', 'core'])).toEqual(['orders']);
    expect(await ids(['--search', 'signed up'])).toEqual(['users']);
    expect(await ids(['--owner', 'growth', '--consumer', 'growth'])).toEqual([]);

    const versions = await ok(['versions', 'users']);
    expect(versions.current_version).toBe('1.1.0');
    expect(versions.versions.map((v: { version: string; current: boolean }) => `${v.version}${v.current ? '*' : ''}`)).toEqual(['1.0.0', '1.1.0*']);
    const consumer = (await ok(['show', 'orders'])).consumers[0];
    expect(consumer).toMatchObject({ team: 'core', fields: ['user_id', 'email'] });
    const log = await ok(['log', '--event', 'consumer', '--team', 'core']);
    expect(log.events.map((e: { event: string }) => e.event)).toEqual(['consumer.registered']);
  });
});

describe('publish in text mode', () => {
  it('says what happened for a first version, a compatible change, no change and a breaking change', async () => {
    const root = tempDir();
    const registry = path.join(root, 'r.git');
    const m = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: registry });
    await m.run(['init', registry]);
    await m.run(['team', 'add', 'core', '--member', 'ana@acme.com']);
    const v1 = writeJson(root, 'u.json', USERS_V1);
    const first = await m.run(['publish', 'users', v1, '--owner', 'core']);
    expect(first.stdout.trim()).toBe('users 1.0.0 published (first version)');
    const dry = await m.run(['publish', 'users', writeJson(root, 'u2.json', USERS_V1_1), '--dry-run']);
    expect(dry.stdout).toMatch(/^users 1\.0\.0 -> 1\.1\.0 would be published \(compatible\)$/m);
    const same = await m.run(['publish', 'users', v1]);
    expect(same.stdout.trim()).toBe('users 1.0.0 unchanged: nothing to publish');
    // Nobody consumes it: a breaking change goes out as a major version, and says so.
    const breaking = await m.run(['publish', 'users', writeJson(root, 'u3.json', { type: 'object', properties: { user_id: { type: 'integer' } }, required: ['user_id'] })]);
    expect(breaking.exitCode).toBe(0);
    expect(breaking.stdout).toMatch(/^users 1\.0\.0 -> 2\.0\.0 published \(breaking\)$/m);
    expect(breaking.stdout).toMatch(/no team consumes this asset/);
  });
});

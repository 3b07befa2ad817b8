/**
 * A machine where git has no identity at all (user.useConfigOnly, nothing
 * configured): the README's main job still runs on the embedded default
 * registry, acting as <login>@<host> and saying so once on stderr; a shared
 * registry refuses, with the one-line fix, and is left as it was.
 */
import { afterAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { anonymousEnv, bareRemote, cleanupTempDirs, machine, refState, tempDir } from '../helpers/machines.js';
import { tessera } from '../helpers/cli.js';
import { DEMO_DIR } from '../dbt/helpers.js';

afterAll(cleanupTempDirs);

describe('no git identity', () => {
  it('the main job runs on the default local registry as login@host, said once on stderr', async () => {
    const root = tempDir('tessera-anon-');
    const env = anonymousEnv(root);
    const sync = await tessera(['sync-dbt', path.join(DEMO_DIR, 'manifest.json')], { env: env as Record<string, string>, cwd: env.HOME! });
    expect(sync.exitCode, sync.stderr).toBe(0);
    const notices = sync.stderr.split('\n').filter((l) => l.includes('no git identity configured'));
    expect(notices).toHaveLength(1);
    const actor = /acting as (\S+) /.exec(notices[0]!)?.[1];
    expect(actor).toMatch(/^[a-z0-9._-]+@[a-z0-9._-]+$/);
    expect(actor!.split('@')[0]).toBe(os.userInfo().username.toLowerCase().replace(/[^a-z0-9._-]+/g, '-'));
    const log = await tessera(['log', '--json'], { env: env as Record<string, string>, cwd: env.HOME! });
    expect(log.exitCode, log.stderr).toBe(0);
    const actors = new Set((JSON.parse(log.stdout).events as Array<{ actor: string }>).map((e) => e.actor));
    expect([...actors]).toEqual([actor]);
  });

  it('a shared registry refuses, names the fix, and is left as it was', async () => {
    const root = tempDir('tessera-anon-shared-');
    const remote = await bareRemote(root);
    const owner = machine(root, 'owner', 'owner@acme.com');
    expect((await owner.run(['init', path.join(root, 'owner-clone'), '--remote', `file://${remote}`])).exitCode).toBe(0);
    const before = await refState(remote);
    const env = anonymousEnv(root);
    for (const args of [
      ['sync-dbt', path.join(DEMO_DIR, 'manifest.json'), '--registry', `file://${remote}`],
      ['init', path.join(root, 'anon-clone'), '--remote', `file://${remote}`],
    ]) {
      const r = await tessera(args, { env: env as Record<string, string>, cwd: env.HOME! });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/no git identity.*git config --global user\.email/);
    }
    expect(await refState(remote)).toBe(before);
  });
});

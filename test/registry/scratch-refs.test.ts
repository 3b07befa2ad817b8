/**
 * Scratch refs (refs/tessera/scratch/<pid>-<random>) hold a commit between
 * fast-import and the ref transaction. A writer killed in between leaves one;
 * the next write prunes those whose process is gone or that are over an hour
 * old, and never one a live writer may still use. They stay local: never pushed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, readdirSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bareRemote, cleanupTempDirs, gitIn, machine, tempDir, writeJson, USERS_V1, type Machine } from '../helpers/machines.js';
import { TESSERA_BIN } from '../helpers/cli.js';

const SCRATCH = 'refs/tessera/scratch/';
const sleepers: Array<{ kill(): boolean }> = [];

afterAll(() => {
  for (const s of sleepers.splice(0)) s.kill();
  cleanupTempDirs();
});

async function scratchRefs(gitDir: string): Promise<string[]> {
  const out = await gitIn(gitDir, ['for-each-ref', '--format=%(refname)', SCRATCH]);
  return out.split('\n').filter(Boolean).map((r) => r.slice(SCRATCH.length)).sort();
}

/** The pid of a process that has exited (and been reaped): no process has it now. */
async function deadPid(): Promise<number> {
  const child = execa(process.execPath, ['-e', '']);
  const pid = child.pid!;
  await child;
  return pid;
}

/** A process that stays alive for the test: its pid stands for a writer still at work. */
function livePid(): number {
  const child = execa(process.execPath, ['-e', 'setTimeout(() => {}, 600000)']);
  child.catch(() => undefined);
  sleepers.push(child);
  return child.pid!;
}

async function seed(m: Machine): Promise<void> {
  const r = await m.run(['team', 'add', 'core', '--member', m.email]);
  expect(r.exitCode, r.stderr).toBe(0);
}

/** A shared registry (a file:// URL) initialised by one machine and written once by ana, whose cache clone then exists. */
async function urlRegistry(): Promise<{ root: string; remote: string; ana: Machine; cache: string }> {
  const root = tempDir();
  const remote = await bareRemote(root);
  const url = pathToFileURL(remote).href;
  const setup = machine(root, 'setup', 'setup@acme.com', { TESSERA_REGISTRY: url });
  expect((await setup.run(['init', path.join(root, 'setup-clone'), '--remote', url])).exitCode).toBe(0);
  const ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: url });
  await seed(ana);
  return { root, remote, ana, cache: cacheClone(ana) };
}

function cacheClone(m: Machine): string {
  const root = path.join(m.env.XDG_CACHE_HOME!, 'tessera');
  const dirs = readdirSync(root).filter((d) => d !== 'v8');
  expect(dirs).toHaveLength(1);
  return path.join(root, dirs[0]!);
}

describe('scratch refs', () => {
  it('a write prunes those of dead processes and old ones, keeps a live fresh one, loose or packed', async () => {
    const root = tempDir();
    const reg = path.join(root, 'registry');
    const ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: reg });
    expect((await ana.run(['init', reg])).exitCode).toBe(0);
    await seed(ana);
    const main = await gitIn(reg, ['rev-parse', 'main']);
    const dead = await deadPid();
    const live = livePid();
    const make = (leaf: string) => gitIn(reg, ['update-ref', SCRATCH + leaf, main]);
    await make(`${dead}-aaaaaaaaaaaa`);
    await make(`${dead}-bbbbbbbbbbbb-2`);
    await make(`${live}-cccccccccccc`);
    await make(`${live}-dddddddddddd`);
    // Over an hour old although its pid lives (a reused pid): its file's mtime says so.
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(path.join(reg, SCRATCH, `${live}-dddddddddddd`), twoHoursAgo, twoHoursAgo);

    const r = await ana.run(['team', 'add', 'growth', '--member', 'ana@acme.com']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await scratchRefs(reg)).toEqual([`${live}-cccccccccccc`]);

    // gc packs refs: a packed scratch ref of a dead process goes too; the live one (now packed, fresh packed-refs) stays.
    await make(`${dead}-eeeeeeeeeeee`);
    await gitIn(reg, ['pack-refs', '--all']);
    expect(existsSync(path.join(reg, SCRATCH))).toBe(false);
    const r2 = await ana.run(['team', 'add', 'search', '--member', 'ana@acme.com']);
    expect(r2.exitCode, r2.stderr).toBe(0);
    expect(await scratchRefs(reg)).toEqual([`${live}-cccccccccccc`]);
    // The writes themselves landed and left no scratch ref of their own.
    expect(await gitIn(reg, ['ls-tree', '--name-only', 'main', 'teams/'])).toBe('teams/core.yaml\nteams/growth.yaml\nteams/search.yaml');
  });

  it('in a URL registry they live in the cache clone only: pruned there, never pushed', async () => {
    const { remote, ana, cache } = await urlRegistry();
    const main = await gitIn(cache, ['rev-parse', 'main']);
    const dead = await deadPid();
    const live = livePid();
    await gitIn(cache, ['update-ref', `${SCRATCH}${dead}-aaaaaaaaaaaa`, main]);
    await gitIn(cache, ['update-ref', `${SCRATCH}${live}-cccccccccccc`, main]);

    const r = await ana.run(['team', 'add', 'growth', '--member', 'ana@acme.com']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await scratchRefs(cache)).toEqual([`${live}-cccccccccccc`]);
    expect(await scratchRefs(remote)).toEqual([]);
    expect(await gitIn(remote, ['for-each-ref', '--format=%(refname)', 'refs/tessera/'])).toBe('');
  });

  it('kill -9 during publish leaves a scratch ref; the next write removes it', async () => {
    const { root, ana, cache } = await urlRegistry();
    const schema = writeJson(root, 'users.json', USERS_V1);

    // A URL registry holds the scratch ref for the whole push: kill the publish the moment one appears.
    let left: string[] = [];
    let attempts = 0;
    while (left.length === 0 && attempts < 20) {
      attempts++;
      // A publish is small enough to be written as loose objects, with no scratch ref: make it go through fast-import.
      const child = execa(process.execPath, [TESSERA_BIN, 'publish', `asset-${attempts}`, schema, '--owner', 'core'], { env: { ...ana.env, TESSERA_LOOSE_MAX_CHANGES: '0' }, cwd: root, reject: false });
      const scratchDir = path.join(cache, SCRATCH);
      let exited = false;
      void child.then(() => (exited = true));
      while (!exited && !(existsSync(scratchDir) && readdirSync(scratchDir).length > 0)) await new Promise((r) => setImmediate(r));
      child.kill('SIGKILL');
      await child;
      left = await scratchRefs(cache);
    }
    expect(left.length, `no scratch ref left after ${attempts} kill -9 attempts`).toBeGreaterThan(0);
    const r = await ana.run(['team', 'add', 'growth', '--member', 'ana@acme.com']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await scratchRefs(cache)).toEqual([]);
  });
});

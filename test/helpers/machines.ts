/**
 * Real git scenarios: temp dirs, bare remotes, and "machines" (a separate
 * HOME, cache and identity per simulated user) that run the real binary.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { tessera, type RunResult } from './cli.js';

const created: string[] = [];

export function tempDir(prefix = 'tessera-test-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(d);
  return d;
}

export function cleanupTempDirs(): void {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function gitIn(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await execa('git', args, { cwd, env: { GIT_CONFIG_NOSYSTEM: '1', ...env } });
  return r.stdout;
}

export async function bareRemote(root: string, name = 'remote.git'): Promise<string> {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  await gitIn(dir, ['init', '--bare', '--quiet', '--initial-branch=main']);
  return dir;
}

export interface Machine {
  name: string;
  email: string;
  env: Record<string, string>;
  run(args: string[], input?: string): Promise<RunResult>;
}

/** A simulated person on their own machine: own HOME, cache, default registry and git identity. */
export function machine(root: string, name: string, email: string, extraEnv: Record<string, string> = {}): Machine {
  const home = path.join(root, `home-${name}`);
  mkdirSync(home, { recursive: true });
  const env: Record<string, string> = {
    HOME: home,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    TESSERA_HOME: path.join(home, '.tessera'),
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
    GIT_CONFIG_NOSYSTEM: '1',
    ...extraEnv,
  };
  return {
    name,
    email,
    env,
    run: (args, input) => tessera(args, { env, cwd: home, ...(input !== undefined ? { input } : {}) }),
  };
}

/**
 * An environment in which `git var GIT_AUTHOR_IDENT` fails: empty HOME, no
 * system config, no auto-detection (user.useConfigOnly), no identity variables.
 */
export function anonymousEnv(root: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  const home = path.join(root, 'home-anon');
  mkdirSync(home, { recursive: true });
  return {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    TESSERA_HOME: path.join(home, '.tessera'),
    TESSERA_REGISTRY: undefined,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'user.useConfigOnly',
    GIT_CONFIG_VALUE_0: 'true',
    GIT_AUTHOR_NAME: undefined,
    GIT_AUTHOR_EMAIL: undefined,
    GIT_COMMITTER_NAME: undefined,
    GIT_COMMITTER_EMAIL: undefined,
    EMAIL: undefined,
    ...extra,
  };
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, JSON.stringify(value, null, 2));
  return p;
}

export const USERS_V1 = {
  type: 'object',
  properties: {
    user_id: { type: 'integer' },
    email: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
  },
  required: ['user_id', 'email'],
};

export const USERS_V1_1 = {
  ...USERS_V1,
  properties: { ...USERS_V1.properties, country: { type: 'string' } },
};

export const USERS_V2_NO_EMAIL = {
  type: 'object',
  properties: { user_id: { type: 'integer' }, created_at: { type: 'string', format: 'date-time' } },
  required: ['user_id'],
};

/** Every ref and its value: "the registry exactly as it was" means this is unchanged. */
export async function refState(gitDir: string): Promise<string> {
  return gitIn(gitDir, ['for-each-ref', '--format=%(refname) %(objectname)']);
}

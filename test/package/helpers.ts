/**
 * What the packaging tests share: the real binary reachable as `tessera` on
 * PATH (as npm, pre-commit and CI runners put it there), and commands or
 * shell scripts run the way those tools run them, in isolated homes.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { TESSERA_BIN, type RunResult } from '../helpers/cli.js';
import { machine } from '../helpers/machines.js';

/** Variables of the developer's shell that would change what a run does; unset in every run. */
const UNSET = { TESSERA_REGISTRY: undefined, TESSERA_DEBUG: undefined, TESSERA_NOW: undefined, GIT_DIR: undefined, GIT_WORK_TREE: undefined };

/** A directory with `tessera` linked to the checkout's bin/tessera.js, the way npm links an installed bin. */
export function tesseraBinDir(root: string): string {
  const dir = path.join(root, 'bin');
  mkdirSync(dir, { recursive: true });
  symlinkSync(TESSERA_BIN, path.join(dir, 'tessera'));
  return dir;
}

/** PATH with `dir` first, then the directory of the node running the tests (the bins' `#!/usr/bin/env node`). */
export function pathWith(dir: string): string {
  return [dir, path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);
}

/**
 * A person's (or a bot's) own HOME, caches and TESSERA_HOME. With an email the
 * git identity comes from the GIT_AUTHOR and GIT_COMMITTER variables; without
 * one it is whatever the run configures (`git config --global` lands in that HOME).
 */
export function isolatedEnv(root: string, name: string, email?: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...machine(root, name, email ?? `${name}@invalid`).env, ...UNSET, NO_COLOR: '1' };
  if (email === undefined) for (const k of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'EMAIL']) env[k] = undefined;
  return env;
}

export interface RunIn {
  cwd: string;
  env: Record<string, string | undefined>;
}

/** Run an argv (first word looked up on the env's PATH), never throwing on a non-zero exit. */
export async function runCommand(argv: string[], { cwd, env }: RunIn): Promise<RunResult> {
  const [file, ...args] = argv;
  const r = await execa(file!, args, { cwd, env, input: '', reject: false, timeout: 120_000 });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1 };
}

/** Run a script as a GitHub Actions `run:` step runs on Linux: bash --noprofile --norc -eo pipefail. */
export function runScript(script: string, where: RunIn): Promise<RunResult> {
  return runCommand(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', script], where);
}

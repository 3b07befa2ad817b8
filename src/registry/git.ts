/**
 * The one way Tessera runs git. A thin wrapper over node:child_process:
 * execa costs ~130 ms of import time on these machines, more than half of a
 * `tessera show` budget, and we only need spawn + collect.
 */
import { spawn } from 'node:child_process';
import { RegistryError } from '../core/errors.js';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GitOptions {
  /** The git dir (bare repo) or work tree to run in. */
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  /** Return the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
}

/** Environment for every git call: no prompts, no pagers, stable output. */
function gitEnv(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    LC_ALL: 'C',
    GIT_OPTIONAL_LOCKS: '0',
    ...extra,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

export function git(args: string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd, env: gitEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new RegistryError(`cannot run git: ${e.message}`, 'install git and make sure it is on PATH')));
    child.on('close', (code) => {
      const result = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 };
      if (result.code !== 0 && !options.allowFailure) {
        reject(new RegistryError(`git ${args[0]} failed: ${firstLine(result.stderr) || `exit ${result.code}`}`));
      } else resolve(result);
    });
    child.stdin.on('error', () => {
      /* git may exit before reading all input; the close handler reports the real failure */
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

export function firstLine(s: string): string {
  const line = s.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  return line.replace(/^(fatal|error): /, '');
}

/** `git rev-parse --verify -q <ref>^{commit}`, or undefined when the ref does not exist. */
export async function resolveRef(gitDir: string, ref: string): Promise<string | undefined> {
  const r = await git(['rev-parse', '--verify', '-q', `${ref}^{commit}`], { cwd: gitDir, allowFailure: true });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

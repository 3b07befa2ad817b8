/**
 * The one way Tessera runs git. A thin wrapper over node:child_process:
 * execa costs ~130 ms of import time on these machines, more than half of a
 * `tessera show` budget, and we only need spawn + collect.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { InputError, RegistryError } from '../core/errors.js';

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
  /**
   * This call talks to the remote at `url` (clone, fetch, push, ls-remote):
   * it gets a deadline (TESSERA_GIT_TIMEOUT), git's own http low-speed limit,
   * and its own process group so the helpers git starts (git-remote-http,
   * ssh) die with it. A timeout throws even with allowFailure.
   */
  network?: { url: string };
}

const DEFAULT_TIMEOUT_S = 60;
/** setTimeout fires at once beyond 2^31-1 ms; a longer deadline (~25 days) is as good as none. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** TESSERA_GIT_TIMEOUT in seconds (default 60); read on each network call so tests and callers can set it late. */
export function gitTimeoutSeconds(): number {
  const raw = process.env.TESSERA_GIT_TIMEOUT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_TIMEOUT_S;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InputError(`TESSERA_GIT_TIMEOUT=${raw} is not a number of seconds greater than 0`, `set it to e.g. 120, or unset it for the default of ${DEFAULT_TIMEOUT_S} s`);
  }
  return n;
}

function timedOut(url: string, seconds: number): RegistryError {
  return new RegistryError(
    `the registry remote ${url} did not answer within ${seconds} s`,
    'check the network and that the git server is up; for a slow link raise TESSERA_GIT_TIMEOUT (seconds)',
  );
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
  if (options.network) return networkGit(args, options, options.network.url);
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd, env: gitEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    collect(child, args, options, resolve, reject);
  });
}

function collect(child: ChildProcessWithoutNullStreams, args: string[], options: GitOptions, resolve: (r: GitResult) => void, reject: (e: Error) => void, onClose?: (r: GitResult) => Error | undefined): void {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.on('error', (e) => reject(new RegistryError(`cannot run git: ${e.message}`, 'install git and make sure it is on PATH')));
  child.on('close', (code) => {
    const result = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 };
    const replaced = onClose?.(result);
    if (replaced) reject(replaced);
    else if (result.code !== 0 && !options.allowFailure) {
      reject(new RegistryError(`git ${args[0]} failed: ${firstLine(result.stderr) || `exit ${result.code}`}`));
    } else resolve(result);
  });
  child.stdin.on('error', () => {
    /* git may exit before reading all input; the close handler reports the real failure */
  });
  if (options.input !== undefined) child.stdin.end(options.input);
  else child.stdin.end();
}

/** Process groups of running network calls, killed if this process ends first. */
const liveGroups = new Set<number>();
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function killAllGroups(): void {
  for (const pid of liveGroups) killGroup(pid);
  liveGroups.clear();
}

/**
 * A child in its own group no longer gets the terminal's Ctrl-C, so while
 * one runs we forward our death to it: on exit, and on the signals that
 * would end us. Called before any other listener; when there is none (the
 * signal's default would have ended us) it is re-raised, so we still die of it.
 */
function onSignal(signal: NodeJS.Signals): void {
  killAllGroups();
  const others = process.listenerCount(signal) - 1;
  untrackExit();
  if (others === 0) process.kill(process.pid, signal);
}

function trackGroup(pid: number): void {
  if (liveGroups.size === 0) {
    process.on('exit', killAllGroups);
    for (const s of EXIT_SIGNALS) process.prependListener(s, onSignal);
  }
  liveGroups.add(pid);
}

function untrackGroup(pid: number): void {
  if (!liveGroups.delete(pid) || liveGroups.size > 0) return;
  untrackExit();
}

function untrackExit(): void {
  process.off('exit', killAllGroups);
  for (const s of EXIT_SIGNALS) process.off(s, onSignal);
}

/** curl's own give-ups (http.lowSpeedTime, connect timeouts) mean the same as our deadline. */
const GIT_TIMED_OUT = /Operation too slow|Operation timed out|Connection timed out/i;

function networkGit(args: string[], options: GitOptions, url: string): Promise<GitResult> {
  let seconds: number;
  try {
    seconds = gitTimeoutSeconds();
  } catch (e) {
    return Promise.reject(e);
  }
  // lowSpeedTime is whole seconds; the process deadline stays the exact backstop.
  const limits = ['-c', 'http.lowSpeedLimit=1', '-c', `http.lowSpeedTime=${Math.max(1, Math.ceil(seconds))}`];
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...limits, ...args], { cwd: options.cwd, env: gitEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const pid = child.pid;
    if (pid !== undefined) trackGroup(pid);
    let done = false;
    const finish = (): void => {
      done = true;
      clearTimeout(timer);
      if (pid !== undefined) untrackGroup(pid);
    };
    const timer = setTimeout(() => {
      if (done) return;
      finish();
      if (pid !== undefined) killGroup(pid);
      // A helper that left the group could hold our pipes open: do not wait for 'close'.
      child.stdout.destroy();
      child.stderr.destroy();
      child.stdin.destroy();
      reject(timedOut(url, seconds));
    }, Math.min(seconds * 1000, MAX_TIMER_MS));
    collect(
      child,
      args,
      options,
      (r) => {
        if (done) return;
        finish();
        resolve(r);
      },
      (e) => {
        if (done) return;
        finish();
        reject(e);
      },
      (r) => (r.code !== 0 && GIT_TIMED_OUT.test(r.stderr) ? timedOut(url, seconds) : undefined),
    );
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

/** `tessera serve` as a child process on an OS-chosen port, over a registry built with the real binary. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TESSERA_BIN, PROJECT_ROOT } from '../helpers/cli.js';
import { machine, tempDir, type Machine } from '../helpers/machines.js';

export interface Served {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServe(env: Record<string, string>, args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [TESSERA_BIN, 'serve', '--port', '0', '--json', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1', TESSERA_SERVE_FETCH_INTERVAL_MS: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n}');
      if (nl >= 0) resolve((JSON.parse(out.slice(0, nl + 2)) as { url: string }).url);
    });
    void exited.then((code) => reject(new Error(`tessera serve exited ${code}: ${err}`)));
  });
  return {
    url,
    child,
    stderr: () => err,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && !child.killed) child.kill(signal);
      return exited;
    },
  };
}

export interface ApiReply {
  status: number;
  body: any;
  headers: Headers;
}

export async function call(base: string, method: string, path: string, opts: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<ApiReply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // left as text: the test says what it expected
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A CLI run's stdout, or an error naming what failed. */
export function must(r: { exitCode: number; stdout: string; stderr: string }, what: string): string {
  if (r.exitCode !== 0) throw new Error(`${what} failed (${r.exitCode}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** A fresh local registry in a temp dir whose teams have one member each (team -> email), each member a machine running the real CLI. */
export async function teamRegistry(prefix: string, teams: Record<string, string>): Promise<{ root: string; registry: string; members: Record<string, Machine> }> {
  const root = tempDir(prefix);
  const registry = path.join(root, 'registry.git');
  const members: Record<string, Machine> = {};
  for (const [team, email] of Object.entries(teams)) members[team] = machine(root, email.split('@')[0]!, email, { TESSERA_REGISTRY: registry });
  const first = Object.values(members)[0]!;
  must(await first.run(['init', registry]), 'init');
  for (const [team, email] of Object.entries(teams)) must(await first.run(['team', 'add', team, '--member', email]), `team ${team}`);
  return { root, registry, members };
}

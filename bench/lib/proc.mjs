// Timing child processes for the benches: wall time from spawn to exit.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'tessera.js');

/** Run a command; resolves { ms, code, stdout, stderr }. Never rejects on a non-zero exit. */
export function runProc(cmd, args, { cwd = ROOT, env = process.env, input } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Like runProc but throws (with stderr) on a non-zero exit. */
export async function mustRun(cmd, args, options) {
  const r = await runProc(cmd, args, options);
  if (r.code !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${r.code}: ${(r.stderr || r.stdout).slice(0, 600)}`);
  return r;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

/** Environment for git calls made by a bench (no system config, stable output). */
export function gitEnv(extra = {}) {
  return { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', ...extra };
}

/** Which artefact bin/tessera.js runs right now: the bundle (dist/bundle, fresh; with or without its V8 code cache), or the modules (dist/cli). Mirrors bin/tessera.js. */
export function artefact() {
  if (process.env.TESSERA_NO_BUNDLE === '1') return 'modules (TESSERA_NO_BUNDLE=1)';
  try {
    const { built, files } = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'bundle', 'inputs.json'), 'utf8'));
    for (const [p, [size, sha1]] of Object.entries(files)) {
      const f = path.join(ROOT, p);
      const st = statSync(f);
      if (st.mtimeMs <= built) continue;
      if (st.size !== size || createHash('sha1').update(readFileSync(f)).digest('hex') !== sha1) return 'modules (bundle stale)';
    }
    return process.env.TESSERA_CODE_CACHE === '0' ? 'bundle (code cache off)' : 'bundle (V8 code cache)';
  } catch {
    return 'modules (no bundle)';
  }
}

/** The environment of one person running the CLI on a bench registry: own HOME and caches, a git identity, no colour. */
export function personEnv(home, registry, email, { extra = {}, name = email.split('@')[0] } = {}) {
  const env = {
    ...process.env,
    ...extra,
    HOME: home,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    TESSERA_HOME: path.join(home, '.tessera'),
    TESSERA_REGISTRY: registry,
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
    GIT_CONFIG_NOSYSTEM: '1',
    NO_COLOR: '1',
  };
  delete env.TESSERA_DEBUG;
  delete env.TESSERA_TIMINGS;
  return env;
}

/** Run `fn` in a fresh temp dir, removed after it (BENCH_KEEP=1 keeps it, e.g. for node --cpu-prof). */
export async function inWorkDir(name, fn) {
  const work = mkdtempSync(path.join(os.tmpdir(), `tessera-bench-${name}-`));
  try {
    return await fn(work);
  } finally {
    if (process.env.BENCH_KEEP === '1') console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

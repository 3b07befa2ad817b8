// The ack-burst scenario, shared by bench/acks.bench.mjs and
// test/proposals/ack-burst.test.ts (through test/helpers/daemon.ts): a bare
// remote served by `git daemon` on 127.0.0.1, a `core` team owning `users`,
// N consumer teams (team-01..team-NN, one member each), and a breaking
// publish that opens a proposal every team has to acknowledge. Each acking
// process is its own machine (HOME, caches, git identity). Plain .mjs over
// dist/ so the bench (no TypeScript) and the test can both use it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { BIN, ROOT, gitEnv, mustRun, runProc, personEnv } from './proc.mjs';
import { gitRun } from './gen-registry.mjs';

const dist = (p) => path.join(ROOT, 'dist', p);

export const USERS_V1 = {
  type: 'object',
  properties: { user_id: { type: 'integer' }, email: { type: 'string' }, created_at: { type: 'string', format: 'date-time' } },
  required: ['user_id', 'email'],
};
export const USERS_V2_NO_EMAIL = {
  type: 'object',
  properties: { user_id: { type: 'integer' }, created_at: { type: 'string', format: 'date-time' } },
  required: ['user_id'],
};

export const PRODUCER = { name: 'pat', email: 'pat@acme.example' };
export const teamName = (i) => `team-${String(i).padStart(2, '0')}`;
export const memberOf = (team) => `${team}.member@acme.example`;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const running = new Set();
let exitHookInstalled = false;
function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    try {
      child.kill('SIGTERM');
    } catch {
      // already gone
    }
  }
}

/**
 * Serve every repository under `baseDir` with `git daemon` on 127.0.0.1
 * (push enabled). Resolves once it accepts connections; `stop()` kills it and
 * the per-connection children it forked (its own process group).
 */
export async function startDaemon(baseDir, { timeoutMs = 15_000 } = {}) {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of running) killGroup(c);
    });
  }
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      'git',
      ['daemon', '--reuseaddr', `--base-path=${baseDir}`, '--export-all', '--enable=receive-pack', '--listen=127.0.0.1', `--port=${port}`, baseDir],
      { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: gitEnv() },
    );
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    let exited = false;
    child.once('exit', () => (exited = true));
    running.add(child);
    const deadline = Date.now() + timeoutMs;
    while (!exited && Date.now() < deadline && !(await canConnect(port))) await new Promise((r) => setTimeout(r, 50));
    if (!exited && Date.now() < deadline) {
      return {
        port,
        url: (repo) => `git://127.0.0.1:${port}/${repo}`,
        stop: async () => {
          if (!running.has(child)) return;
          running.delete(child);
          killGroup(child);
          if (!exited) await new Promise((r) => child.once('exit', r));
        },
      };
    }
    running.delete(child);
    killGroup(child);
    // Another process took the port between our probe and the daemon's bind: try another.
    if (attempt >= 3) throw new Error(`git daemon did not start on 127.0.0.1:${port}: ${stderr.trim() || 'timed out'}`);
  }
}

/** A simulated person on their own machine running the real binary. */
export function machine(root, name, email, registry) {
  const home = path.join(root, `home-${name}`);
  mkdirSync(home, { recursive: true });
  const env = personEnv(home, registry, email, { name });
  return { name, email, home, env, run: (args) => runProc(process.execPath, [BIN, ...args], { cwd: home, env }) };
}

/** The registry's first commit: config, teams, `users` at 1.0.0 and every consumer registration (validated YAML from dist). */
async function seedFiles(teams) {
  const { initialConfigYaml } = await import(dist('registry/init.js'));
  const { encodeYaml } = await import(dist('core/codec.js'));
  const m = await import(dist('core/model.js'));
  const at = '2026-01-15T09:00:00Z';
  const files = new Map();
  const put = (p, schema, value) => files.set(p, encodeYaml(p, schema, value));
  files.set('tessera.yaml', initialConfigYaml());
  put('teams/core.yaml', m.teamSchema, { name: 'core', members: [PRODUCER.email], created_by: PRODUCER.email, created_at: at });
  put('assets/users/asset.yaml', m.assetSchema, { id: 'users', owner: 'core', kind: 'table', tags: [], current_version: '1.0.0' });
  put('assets/users/versions/1.0.0.yaml', m.versionSchema, {
    asset: 'users', version: '1.0.0', schema: USERS_V1, guarantees: [], compatibility_mode: 'backward', content_model: 'closed',
    published_by: PRODUCER.email, published_at: at, changes: [], via: 'direct',
  });
  for (const t of teams) {
    put(`teams/${t}.yaml`, m.teamSchema, { name: t, members: [memberOf(t)], created_by: memberOf(t), created_at: at });
    put(`assets/users/consumers/${t}.yaml`, m.consumerSchema, { team: t, asset: 'users', purpose: `${t} reports`, registered_by: memberOf(t), registered_at: at, acks: [] });
  }
  return files;
}

async function fastImportRepo(dir, files) {
  mkdirSync(dir, { recursive: true });
  await gitRun(dir, ['init', '--bare', '--quiet', '--initial-branch=main']);
  const when = 1768467600;
  const msg = `seed the ack-burst registry\n\nTessera-Event: registry.initialised\nTessera-Actor: ${PRODUCER.email}\n`;
  let s = `commit refs/heads/main\nauthor ${PRODUCER.name} <${PRODUCER.email}> ${when} +0000\ncommitter ${PRODUCER.name} <${PRODUCER.email}> ${when} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n`;
  for (const [p, text] of files) s += `M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  await gitRun(dir, ['fast-import', '--quiet', '--date-format=raw'], s + '\n');
}

/**
 * A fresh scenario: remote seeded by fast-import, served by git daemon, and a
 * breaking publish by the producer (through the real binary) that opens the
 * proposal. Call `close()` when done (stops the daemon, removes the files).
 */
export async function setupAckScenario({ teams: n = 30, root: givenRoot } = {}) {
  const root = givenRoot ?? mkdtempSync(path.join(os.tmpdir(), 'tessera-acks-'));
  const teams = Array.from({ length: n }, (_, i) => teamName(i + 1));
  const serveDir = path.join(root, 'served');
  const remote = path.join(serveDir, 'remote.git');
  await fastImportRepo(remote, await seedFiles(teams));
  const daemon = await startDaemon(serveDir);
  const close = async () => {
    await daemon.stop();
    if (!givenRoot) rmSync(root, { recursive: true, force: true });
  };
  try {
    const url = daemon.url('remote.git');
    const producer = machine(root, PRODUCER.name, PRODUCER.email, url);
    const v2 = path.join(root, 'users-v2.json');
    writeFileSync(v2, JSON.stringify(USERS_V2_NO_EMAIL));
    const published = await producer.run(['publish', 'users', v2, '--json']);
    if (published.code !== 0) throw new Error(`breaking publish failed: ${published.stderr}`);
    const out = JSON.parse(published.stdout);
    if (out.action !== 'proposal.created' || out.proposal.required_teams.length !== n) throw new Error(`expected a proposal for ${n} teams, got ${published.stdout.slice(0, 300)}`);
    const machines = teams.map((t) => machine(root, t, memberOf(t), url));
    return { root, remote, url, port: daemon.port, teams, machines, proposalId: out.proposal.id, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** `tessera ack <id> --team <team> --json` from that team's machine; the parsed output plus wall time. */
export async function ackFrom(m, proposalId) {
  const r = await runProc(process.execPath, [BIN, 'ack', proposalId, '--team', m.name, '--json'], { cwd: m.home, env: m.env });
  if (r.code !== 0) throw new Error(`ack by ${m.name} exited ${r.code}: ${r.stderr.trim()}`);
  const out = JSON.parse(r.stdout);
  return { team: m.name, ms: r.ms, merged: out.merged, pushRetries: out.push_retries ?? 0, mergeRetries: out.merge_retries ?? 0 };
}

/** Every ack at once (one process per team), or one after another. */
export async function runAcks(scenario, { mode }) {
  const t0 = performance.now();
  let acks;
  if (mode === 'burst') acks = await Promise.all(scenario.machines.map((m) => ackFrom(m, scenario.proposalId)));
  else {
    acks = [];
    for (const m of scenario.machines) acks.push(await ackFrom(m, scenario.proposalId));
  }
  const wallMs = performance.now() - t0;
  const pushRetries = acks.reduce((s, a) => s + a.pushRetries, 0);
  const mergeRetries = acks.reduce((s, a) => s + a.mergeRetries, 0);
  return { mode, wallMs, acks, pushRetries, mergeRetries, retries: pushRetries + mergeRetries, mergedBy: acks.filter((a) => a.merged).map((a) => a.team) };
}

/**
 * What must hold on the remote afterwards; returns a list of problems (empty
 * when all is well): each team's consumer file on main carries exactly one ack
 * for the proposal, one merge commit, users at 2.0.0, no proposal or ack refs
 * left, and a clean fsck.
 */
export async function checkOutcome(scenario) {
  const git = (args) => mustRun('git', args, { cwd: scenario.remote, env: gitEnv() });
  const problems = [];
  const id = scenario.proposalId;
  for (const t of scenario.teams) {
    const text = (await git(['show', `main:assets/users/consumers/${t}.yaml`])).stdout;
    const acks = (parse(text).acks ?? []).filter((a) => a.proposal === id);
    if (acks.length !== 1) problems.push(`${t}: ${acks.length} acks for ${id} on main`);
    else if (acks[0].decision !== 'approve' || acks[0].by !== memberOf(t)) problems.push(`${t}: unexpected ack ${JSON.stringify(acks[0])}`);
  }
  const merges = (await git(['log', '--format=%H', '--grep', '^Tessera-Event: proposal.merged', 'main'])).stdout.split('\n').filter(Boolean);
  if (merges.length !== 1) problems.push(`${merges.length} merge commits on main (expected 1)`);
  const asset = parse((await git(['show', 'main:assets/users/asset.yaml'])).stdout);
  if (asset.current_version !== '2.0.0') problems.push(`users is at ${asset.current_version}, expected 2.0.0`);
  const left = (await git(['for-each-ref', '--format=%(refname)', 'refs/tessera/', 'refs/heads/tessera/'])).stdout.trim();
  if (left) problems.push(`refs left behind: ${left.split('\n').join(', ')}`);
  const fsck = await runProc('git', ['fsck', '--strict', '--no-progress'], { cwd: scenario.remote, env: gitEnv() });
  if (fsck.code !== 0 || /error|missing|broken|corrupt/i.test(fsck.stderr + fsck.stdout)) problems.push(`git fsck: ${(fsck.stderr + fsck.stdout).trim().slice(0, 400)}`);
  return problems;
}

/**
 * A registry remote that accepts connections and never answers (a stalled
 * git server, a half-open network): every network git call gives up at
 * TESSERA_GIT_TIMEOUT with exit 3, writes nothing, and leaves no git process
 * behind. The one wall-clock assertion (returned within the deadline plus
 * 5 s) is what the issue demands.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cleanupTempDirs, gitIn, machine, refState, tempDir, type Machine } from '../helpers/machines.js';
import { startDaemon, type Daemon } from '../helpers/daemon.js';
import { TESSERA_BIN, tessera } from '../helpers/cli.js';

const TIMEOUT_S = 3;
const servers: Array<{ close(): Promise<void> }> = [];
const daemons: Daemon[] = [];

afterAll(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of daemons.splice(0)) await d.stop();
  cleanupTempDirs();
});

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

/**
 * A TCP listener on 127.0.0.1 that accepts every connection and never writes
 * a byte, or (trickle) answers with HTTP headers and then one body byte every
 * 0.3 s: fast enough for git's http.lowSpeedLimit, so only our process
 * deadline can end it, with git-remote-http still running beside git.
 */
async function hangingListener(mode: 'silent' | 'trickle' = 'silent'): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    if (mode === 'trickle') {
      s.write('HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\nContent-Length: 100000\r\n\r\n');
      const t = setInterval(() => (s.destroyed ? clearInterval(t) : s.write('0')), 300);
    }
  });
  const port = await listen(server);
  const handle = {
    port,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

/**
 * A git:// proxy in front of git daemon that forwards fetches and, once
 * `hangPushes` is set, accepts pushes and never answers them: a remote that
 * first works, then stalls exactly at the push.
 */
async function pushStallingProxy(upstreamPort: number): Promise<{ port: number; hangPushes: boolean; services: string[]; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  };
  const state = { port: 0, hangPushes: false, services: [] as string[], close: async () => undefined as void };
  const server = net.createServer((client) => {
    track(client);
    // The first pkt-line names the service: "git-upload-pack /x.git\0host=...". Read all of it before
    // deciding: on a loaded machine it can arrive in more than one chunk.
    let first = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      first = Buffer.concat([first, chunk]);
      const length = first.length >= 4 ? Number.parseInt(first.subarray(0, 4).toString('latin1'), 16) : NaN;
      if (!(first.length >= length)) return;
      client.off('data', onData);
      state.services.push(first.subarray(4, first.indexOf(0x20)).toString('latin1'));
      if (state.hangPushes && first.includes('git-receive-pack')) return;
      client.pause();
      const upstream = net.connect({ host: '127.0.0.1', port: upstreamPort }, () => {
        upstream.write(first);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      track(upstream);
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  state.port = await listen(server);
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  servers.push(state);
  return state;
}

/** Git processes whose command line names the port (git, git-remote-http, helpers), polled briefly so a process SIGKILLed a moment ago is not counted. */
async function gitProcessesOn(port: number): Promise<string[]> {
  let found: string[] = [];
  for (let i = 0; i < 10; i++) {
    const ps = await execa('ps', ['-eo', 'pid,args']);
    found = ps.stdout.split('\n').filter((l) => l.includes(`:${port}`) && /git/.test(l) && !l.includes('ps -eo'));
    if (found.length === 0) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return found;
}

/** The cache clones under a machine's cache (everything but the V8 code cache). */
function cacheClones(m: Machine): string[] {
  const root = path.join(m.env.XDG_CACHE_HOME!, 'tessera');
  return existsSync(root) ? readdirSync(root).filter((d) => d !== 'v8').map((d) => path.join(root, d)) : [];
}

async function timed(run: () => Promise<{ exitCode: number; stdout: string; stderr: string }>) {
  const start = Date.now();
  const r = await run();
  return { ...r, seconds: (Date.now() - start) / 1000 };
}

describe('a registry remote that never answers', () => {
  const cases = [
    { scheme: 'git', mode: 'silent', what: 'accepts and never answers' },
    { scheme: 'http', mode: 'silent', what: 'accepts and never answers' },
    { scheme: 'http', mode: 'trickle', what: 'trickles a byte every 0.3 s' },
  ] as const;
  for (const { scheme, mode, what } of cases) {
    it(`${scheme}:// that ${what}: list and team add give up at TESSERA_GIT_TIMEOUT with exit 3, write nothing and leave no git process`, async () => {
      const root = tempDir();
      const listener = await hangingListener(mode);
      const url = `${scheme}://127.0.0.1:${listener.port}/x.git`;
      const ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: url, TESSERA_GIT_TIMEOUT: String(TIMEOUT_S) });

      for (const args of [['list'], ['team', 'add', 'core', '--member', 'ana@acme.com']]) {
        const r = await timed(() => ana.run(args));
        expect(r.exitCode, r.stderr).toBe(3);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toContain(`the registry remote ${url} did not answer within ${TIMEOUT_S} s`);
        expect(r.stderr).toMatch(/TESSERA_GIT_TIMEOUT/);
        expect(r.stdout).toBe('');
        expect(r.seconds).toBeLessThan(TIMEOUT_S + 5);
        expect(await gitProcessesOn(listener.port)).toEqual([]);
        // Nothing written: no cache clone, not even a half-made one.
        expect(cacheClones(ana)).toEqual([]);
      }
      // init (clone of the remote) and doctor (ls-remote) meet the same deadline; doctor reports it as its finding.
      const init = await timed(() => ana.run(['init']));
      expect(init.exitCode, init.stderr).toBe(3);
      expect(init.stderr).toContain(`did not answer within ${TIMEOUT_S} s`);
      expect(init.seconds).toBeLessThan(TIMEOUT_S + 5);
      const doctor = await timed(() => ana.run(['doctor']));
      expect(doctor.exitCode, doctor.stdout + doctor.stderr).toBe(3);
      expect(doctor.stdout).toMatch(/^FAIL\s+reachable\s.*did not answer within/m);
      expect(doctor.seconds).toBeLessThan(TIMEOUT_S + 5);
      expect(await gitProcessesOn(listener.port)).toEqual([]);
      expect(cacheClones(ana)).toEqual([]);
      // The listener really was asked (git got as far as connecting).
      expect(listener.connections()).toBeGreaterThanOrEqual(4);
    });
  }

  it('a push that stalls gives up at the deadline and leaves the cache clone and the remote unchanged', async () => {
    const root = tempDir();
    const served = path.join(root, 'served');
    const init = await machine(root, 'setup', 'setup@acme.com').run(['init', path.join(served, 'x.git')]);
    expect(init.exitCode, init.stderr).toBe(0);
    const daemon = await startDaemon(served);
    daemons.push(daemon);
    const proxy = await pushStallingProxy(daemon.port);
    const url = `git://127.0.0.1:${proxy.port}/x.git`;
    const ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: url, TESSERA_GIT_TIMEOUT: String(TIMEOUT_S) });

    // While the remote answers, a write goes through the proxy and creates the cache clone.
    const first = await ana.run(['team', 'add', 'core', '--member', 'ana@acme.com']);
    expect(first.exitCode, first.stderr).toBe(0);
    const [cache] = cacheClones(ana);
    expect(cache).toBeDefined();
    const remote = path.join(served, 'x.git');
    const remoteBefore = await refState(remote);
    const cacheBefore = await refState(cache!);
    expect(cacheBefore).toContain('refs/heads/main');

    proxy.hangPushes = true;
    const r = await timed(() => ana.run(['team', 'add', 'growth', '--member', 'ana@acme.com']));
    // A CI run once saw exit 0 here: say what the proxy was asked for if it happens again.
    expect(r.exitCode, `${r.stderr}${r.stdout}; ${r.seconds} s; services asked of the proxy: ${proxy.services.join(', ')}`).toBe(3);
    expect(r.stderr).toContain(`the registry remote ${url} did not answer within ${TIMEOUT_S} s`);
    expect(r.seconds).toBeLessThan(TIMEOUT_S + 5);
    expect(await gitProcessesOn(proxy.port)).toEqual([]);
    // Every ref of the cache clone as it was (no new main, no scratch ref left), and the remote untouched.
    expect(await refState(cache!)).toBe(cacheBefore);
    expect(await refState(remote)).toBe(remoteBefore);
    expect(await gitIn(remote, ['show', 'main:teams/core.yaml'])).toContain('ana@acme.com');
    expect((await gitIn(remote, ['ls-tree', '--name-only', 'main', 'teams/'])).split('\n')).toEqual(['teams/core.yaml']);
  });

  it('SIGTERM or Ctrl-C during a network call takes the git process group down with tessera', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const root = tempDir();
      const listener = await hangingListener('trickle');
      const ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: `http://127.0.0.1:${listener.port}/x.git`, TESSERA_GIT_TIMEOUT: '600' });
      const child = execa(process.execPath, [TESSERA_BIN, 'list'], { env: ana.env, cwd: root, reject: false });
      while (listener.connections() === 0) await new Promise((r) => setTimeout(r, 50));
      child.kill(signal);
      const r = await child;
      expect(r.signal).toBe(signal);
      expect(await gitProcessesOn(listener.port)).toEqual([]);
      // The killed run's half-made clone is removed by the next clone (which times out and removes its own).
      expect(cacheClones(ana)).toHaveLength(1);
      const again = await tessera(['list'], { env: { ...ana.env, TESSERA_GIT_TIMEOUT: '1' }, cwd: root });
      expect(again.exitCode, again.stderr).toBe(3);
      expect(cacheClones(ana)).toEqual([]);
    }
  });

  it('refuses an invalid TESSERA_GIT_TIMEOUT with exit 2, one line naming the variable, and writes nothing', async () => {
    const root = tempDir();
    const listener = await hangingListener();
    const url = `git://127.0.0.1:${listener.port}/x.git`;
    for (const value of ['abc', '0', '-5', '10s']) {
      const ana = machine(root, `ana-${value}`, 'ana@acme.com', { TESSERA_REGISTRY: url, TESSERA_GIT_TIMEOUT: value });
      const r = await ana.run(['team', 'add', 'core', '--member', 'ana@acme.com']);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`TESSERA_GIT_TIMEOUT=${value}`);
      expect(cacheClones(ana)).toEqual([]);
    }
    // Refused before git ever connected.
    expect(listener.connections()).toBe(0);
  });
});

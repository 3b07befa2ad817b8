/**
 * Real HTTP receivers on 127.0.0.1 for the notification tests: each records
 * what it was sent and answers with a scripted status (or never answers).
 */
import http from 'node:http';
import path from 'node:path';
import { execa } from 'execa';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gitIn, machine, writeJson, USERS_V1, type Machine } from '../../helpers/machines.js';
import { runJson } from '../../sync/helpers.js';

export interface Received {
  id: string;
  type: string;
  body: any;
}

export interface Receiver {
  url: string;
  /** Every request that got a 2xx. */
  received: Received[];
  /** Every request, whatever the answer. */
  requests: number;
  /** The webhook-id of every request, answered or not. */
  ids: string[];
  /** Statuses to answer with, in order; after the list, 200. 'hang' never answers. */
  script: Array<number | 'hang'>;
  close(): Promise<void>;
  /** Event ids delivered, deduplicated on webhook-id as a receiver should. */
  uniqueOfType(type: string): string[];
}

export async function receiver(script: Array<number | 'hang'> = []): Promise<Receiver> {
  const hanging: http.ServerResponse[] = [];
  const r: Receiver = {
    url: '',
    received: [],
    requests: 0,
    ids: [],
    script,
    close: async () => {
      for (const h of hanging) h.destroy();
      await new Promise<void>((res) => server.close(() => res()));
    },
    uniqueOfType: (type) => [...new Set(r.received.filter((x) => x.type === type).map((x) => x.id))],
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.requests++;
      r.ids.push(String(req.headers['webhook-id']));
      const answer = r.script.shift() ?? 200;
      if (answer === 'hang') {
        hanging.push(res);
        return;
      }
      if (answer >= 200 && answer < 300) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        r.received.push({ id: String(req.headers['webhook-id']), type: body.type, body });
      }
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return r;
}

const RUNNER = path.join(import.meta.dirname, 'run-notify.mjs');

/** One `tessera notify` process (the engine with the test transport) as machine `m`, with the channels' variables in `env`. */
export async function runNotify(m: Machine, registry: string, env: Record<string, string>, timeoutMs?: number) {
  const r = await execa(process.execPath, [RUNNER, registry, ...(timeoutMs ? [String(timeoutMs)] : [])], { env: { ...m.env, ...env }, cwd: m.env.HOME!, reject: false, timeout: 120_000 });
  return { exitCode: r.exitCode ?? -1, stderr: r.stderr, result: r.exitCode === 0 ? JSON.parse(r.stdout) : undefined, stdout: r.stdout };
}

/**
 * The seed registry the notification tests start from: `core` (pat) owns
 * `users` 1.0.0, and each consumer team (bea: growth, cid: finance) is
 * registered; on a shared registry at `url` (each machine with its own
 * cache clone) when one is given. Returns the machines by name.
 */
export async function usersRegistry(root: string, consumers: Array<'growth' | 'finance'> = ['growth', 'finance'], url?: string) {
  const registry = url ?? path.join(root, 'registry.git');
  const e = { TESSERA_REGISTRY: registry };
  const pat = machine(root, 'pat', 'pat@acme.com', e);
  const bea = machine(root, 'bea', 'bea@acme.com', e);
  const cid = machine(root, 'cid', 'cid@acme.com', e);
  const init = await pat.run(url ? ['init'] : ['init', registry]);
  if (init.exitCode !== 0) throw new Error(init.stderr);
  await runJson(pat, ['team', 'add', 'core', '--member', 'pat@acme.com']);
  const by = { growth: bea, finance: cid };
  for (const t of consumers) await runJson(by[t], ['team', 'add', t, '--member', by[t].email]);
  await runJson(pat, ['publish', 'users', writeJson(root, 'v1.json', USERS_V1), '--owner', 'core']);
  for (const t of consumers) await runJson(by[t], ['consume', 'users', '--team', t]);
  return { registry, pat, bea, cid };
}

/** Commit a file to main by hand, as someone with push access and no Tessera would. */
export async function pushByHand(root: string, registry: string, file: string, content: string): Promise<void> {
  const work = path.join(root, `hand-${Math.random().toString(16).slice(2)}`);
  await gitIn(root, ['clone', '--quiet', registry, work]);
  mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
  writeFileSync(path.join(work, file), content);
  const id = { GIT_AUTHOR_NAME: 'x', GIT_AUTHOR_EMAIL: 'x@acme.com', GIT_COMMITTER_NAME: 'x', GIT_COMMITTER_EMAIL: 'x@acme.com' };
  await gitIn(work, ['add', '-A'], id);
  await gitIn(work, ['commit', '--quiet', '-m', 'hand edit'], id);
  await gitIn(work, ['push', '--quiet', 'origin', 'HEAD:main'], id);
}

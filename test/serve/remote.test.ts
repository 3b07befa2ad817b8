/**
 * A remote registry that goes away: a write answers 503 with a clear JSON
 * error and the remote keeps its refs; once the remote is back the same
 * request publishes (issue 15, "What it must show" 4, the remote going down).
 * Concurrent publishes share leased pushes (group commit), and another clone
 * sees every one as its own commit, attributed to the key's team.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renameSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bareRemote, cleanupTempDirs, machine, refState, tempDir, USERS_V1, type Machine } from '../helpers/machines.js';
import { call, must, startServe, type Served } from './harness.js';
import { gitIn } from '../helpers/machines.js';

let root: string;
let remote: string;
let served: Served;
let ana: Machine;
let key = '';

beforeAll(async () => {
  root = tempDir('tessera-serve-remote-');
  remote = await bareRemote(root);
  const url = pathToFileURL(remote).href;
  ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: url });
  must(await ana.run(['init', path.join(root, 'ana-clone'), '--remote', url]), 'init');
  must(await ana.run(['team', 'add', 'growth', '--member', 'ana@acme.com']), 'team');
  key = must(await ana.run(['key', 'create', '--team', 'growth']), 'key').trim();
  served = await startServe(ana.env);
}, 120_000);

afterAll(async () => {
  await served?.stop();
  cleanupTempDirs();
});

describe('tessera serve over a remote registry', () => {
  it('publishes through the remote, answers 503 while it is gone, and recovers when it is back', async () => {
    const first = await call(served.url, 'POST', '/api/v1/assets/users/contracts', { key, body: { schema: USERS_V1 } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const before = await refState(remote);
    const away = `${remote}.away`;
    renameSync(remote, away);
    const down = await call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key, body: { schema: USERS_V1 } });
    renameSync(away, remote);
    expect(down.status, JSON.stringify(down.body)).toBe(503);
    expect(down.body.error.code).toBe('registry_unavailable');
    expect(down.body.error.message).not.toContain('\n');
    expect(down.body.error.fix).toMatch(/\S/);
    expect(await refState(remote)).toBe(before);
    const back = await call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key, body: { schema: USERS_V1 } });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(await refState(remote)).not.toBe(before);
  });

  it('20 concurrent publishes reach the remote, each its own commit that another clone logs with its key and team', async () => {
    const before = (await gitIn(remote, ['rev-parse', 'refs/heads/main'])).trim();
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => call(served.url, 'POST', `/api/v1/assets/many_${i}/contracts`, { key, body: { schema: USERS_V1 } })));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    const line = (await gitIn(remote, ['rev-list', '--first-parent', `${before}..refs/heads/main`])).split('\n');
    expect(line).toHaveLength(20);
    const fay = machine(root, 'fay', 'fay@acme.com', { TESSERA_REGISTRY: pathToFileURL(remote).href });
    const log = JSON.parse(must(await fay.run(['log', '--event', 'contract.published', '--json']), 'log'));
    const mine = log.events.filter((e: any) => e.assets[0].startsWith('many_'));
    expect(mine.map((e: any) => [e.commit, e.key?.team]).sort()).toEqual(line.map((c) => [c, 'growth']).sort());
    expect((await fay.run(['verify'])).exitCode).toBe(0);
  });
});

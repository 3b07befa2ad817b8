/**
 * Issue 15, "What it must show" 4: 50 concurrent clients against the real
 * `tessera serve`, each publishing to its own asset, while readers read and
 * 20 teams acknowledge one proposal. Nothing is lost (every asset at its
 * version, the proposal merged with 20 approvals, every write in the log
 * with its key's team), `git fsck` is clean, `tessera verify` exits 0, and no
 * request gets a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { execa } from 'execa';
import { cleanupTempDirs, machine, tempDir, USERS_V1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { call, must, startServe, type ApiReply, type Served } from './harness.js';

const TEAMS = 20;
const PUBLISHERS = 50;
const READERS = 10;

let root: string;
let registry: string;
let served: Served;
let ana: Machine;
const keys: Record<string, string> = {};
const consumers = Array.from({ length: TEAMS }, (_, i) => `team${String(i).padStart(2, '0')}`);

beforeAll(async () => {
  root = tempDir('tessera-serve-load-');
  registry = path.join(root, 'registry.git');
  ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: registry });
  must(await ana.run(['init', registry]), 'init');
  must(await ana.run(['team', 'add', 'producer', '--member', 'ana@acme.com']), 'team producer');
  // Every consumer team with ana as a member, so one machine can make all their keys.
  for (const t of consumers) must(await ana.run(['team', 'add', t, '--member', 'ana@acme.com']), `team ${t}`);
  for (const t of ['producer', ...consumers]) keys[t] = must(await ana.run(['key', 'create', '--team', t]), `key ${t}`).trim();
  keys.reader = must(await ana.run(['key', 'create', '--team', 'producer', '--scope', 'read']), 'key reader').trim();
  served = await startServe(ana.env);
}, 300_000);

afterAll(async () => {
  await served?.stop();
  cleanupTempDirs();
});

describe('tessera serve under load', () => {
  it('50 publishers, 10 readers and 20 acking teams at once: nothing lost, no 5xx, fsck clean, verify 0', async () => {
    const replies: Array<[string, ApiReply]> = [];
    const send = async (what: string, method: string, p: string, key: string, body?: unknown) => {
      const r = await call(served.url, method, p, { key, ...(body !== undefined ? { body } : {}) });
      replies.push([what, r]);
      return r;
    };
    // The shared asset, its 20 consumers (registered at once: they all read the asset, so they serialise), and the proposal.
    expect((await send('publish shared', 'POST', '/api/v1/assets/shared/contracts', keys.producer!, { schema: USERS_V1 })).status).toBe(201);
    const registered = await Promise.all(consumers.map((t) => send(`register ${t}`, 'POST', '/api/v1/assets/shared/registrations', keys[t]!, { purpose: 'load test' })));
    expect(registered.map((r) => r.status)).toEqual(Array(TEAMS).fill(201));
    const prop = await send('propose', 'POST', '/api/v1/assets/shared/contracts', keys.producer!, { schema: USERS_V2_NO_EMAIL });
    expect(prop.status).toBe(202);
    expect([...prop.body.proposal.required_teams].sort()).toEqual(consumers);
    const id = prop.body.proposal.id as string;

    const publishers = Array.from({ length: PUBLISHERS }, (_, i) =>
      send(`publish load_${i}`, 'POST', `/api/v1/assets/load_${i}/contracts`, keys.producer!, { schema: { ...USERS_V1, description: `asset ${i}` } }),
    );
    const readers = Array.from({ length: READERS }, async (_, i) => {
      for (let n = 0; n < 5; n++) {
        await send('read assets', 'GET', '/api/v1/assets?limit=20', keys.reader!);
        await send('read shared', 'GET', '/api/v1/assets/shared', keys.reader!);
        await send('read proposal', 'GET', `/api/v1/proposals/${id}`, keys.reader!);
        await send('read log', 'GET', `/api/v1/log?limit=${5 + i}`, keys.reader!);
      }
    });
    const acks = consumers.map((t) => send(`ack ${t}`, 'POST', `/api/v1/proposals/${id}/acknowledge`, keys[t]!, { decision: 'approve', note: `${t} is ready` }));
    await Promise.all([...publishers, ...readers, ...acks]);

    const fivexx = replies.filter(([, r]) => r.status >= 500).map(([w, r]) => `${w}: ${r.status} ${JSON.stringify(r.body)}`);
    expect(fivexx).toEqual([]);
    expect((await Promise.all(publishers)).map((r, i) => [i, r.status, r.body.action])).toEqual(Array.from({ length: PUBLISHERS }, (_, i) => [i, 201, 'published']));
    const acked = replies.filter(([w]) => w.startsWith('ack '));
    expect(acked.map(([, r]) => [r.status, r.status === 200 ? '' : JSON.stringify(r.body)])).toEqual(Array(TEAMS).fill([200, '']));
    expect(acked.filter(([, r]) => r.body.merged).length).toBe(1);

    // Every asset at its version.
    for (let i = 0; i < PUBLISHERS; i++) {
      const a = await call(served.url, 'GET', `/api/v1/assets/load_${i}/contracts`, { key: keys.reader! });
      expect([i, a.status, a.body.current_version]).toEqual([i, 200, '1.0.0']);
    }
    // The proposal merged, with 20 approvals, and its contract is current.
    const p = await call(served.url, 'GET', `/api/v1/proposals/${id}`, { key: keys.reader! });
    expect(p.body.proposal.status).toBe('merged');
    expect(p.body.answers.filter((a: { state: string; ack?: { decision: string } }) => a.state === 'approved' && a.ack?.decision === 'approve').length).toBe(TEAMS);
    const shared = await call(served.url, 'GET', '/api/v1/assets/shared/contracts', { key: keys.reader! });
    expect(shared.body.current_version).toBe(prop.body.version);

    // Every write in the log, with its key's team.
    const log = JSON.parse(must(await ana.run(['log', '--json', '--limit', '1000']), 'log'));
    const byEvent = (type: string) => log.events.filter((e: any) => e.event === type);
    expect(byEvent('contract.published').filter((e: any) => e.assets[0].startsWith('load_') && e.key?.team === 'producer').length).toBe(PUBLISHERS);
    expect(new Set(byEvent('proposal.acked').filter((e: any) => e.proposal === id).map((e: any) => e.key?.team))).toEqual(new Set(consumers));
    expect(byEvent('proposal.merged').filter((e: any) => e.proposal === id)).toHaveLength(1);

    const fsck = await execa('git', ['fsck', '--strict', '--no-dangling'], { cwd: registry, reject: false });
    expect([fsck.exitCode, fsck.stdout, fsck.stderr]).toEqual([0, '', '']);
    const verify = await ana.run(['verify']);
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  }, 300_000);
});

/**
 * Failed key checks are rate limited per client address: after 10 failures
 * in a minute the address gets 429 `too_many_failures` with Retry-After,
 * before its key is checked (no scrypt), valid key or not; the window passes
 * and it may try again. Against the real binary, and in process with a
 * counting wrapper around the registry's own key check to see that no check ran.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, refState, type Machine } from '../helpers/machines.js';
import { call, must, startServe, teamRegistry, type Served } from './harness.js';
import { Repository } from '../../src/registry/repository.js';
import { registryKeyAuth } from '../../src/serve/keys.js';
import { startApiServer } from '../../src/serve/server.js';
import type { KeyAuth } from '../../src/serve/auth.js';

const BAD = 'tsk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

let root: string;
let registry: string;
let ana: Machine;
let good = '';

beforeAll(async () => {
  const made = await teamRegistry('tessera-serve-throttle-', { growth: 'ana@acme.com' });
  ({ root, registry } = made);
  ana = made.members.growth!;
  good = must(await ana.run(['key', 'create', '--team', 'growth']), 'key').trim();
}, 60_000);

afterAll(cleanupTempDirs);

describe('failed key checks are rate limited per client address', () => {
  let served: Served;
  afterAll(async () => {
    await served?.stop();
  });

  it('the 11th failure within a minute is 429 with Retry-After, for a valid key too; no key is ever logged', async () => {
    served = await startServe(ana.env);
    const before = await refState(registry);
    // No key at all is no guess and costs no hash: it does not count.
    for (let i = 0; i < 12; i++) expect((await call(served.url, 'GET', '/api/v1/assets')).body.error.code).toBe('no_key');
    for (let i = 0; i < 10; i++) {
      const r = await call(served.url, 'POST', '/api/v1/assets/a/contracts', { key: BAD, body: { schema: { type: 'object' } } });
      expect([i, r.status, r.body.error.code]).toEqual([i, 401, 'unknown_key']);
    }
    for (const key of [BAD, good]) {
      const r = await call(served.url, 'GET', '/api/v1/assets', { key });
      expect([r.status, r.body.error?.code]).toEqual([429, 'too_many_failures']);
      const wait = Number(r.headers.get('retry-after'));
      expect(wait >= 1 && wait <= 60, String(wait)).toBe(true);
      expect(r.body.error.message).not.toContain('\n');
      expect(r.body.error.fix).toMatch(/wait \d+ s/);
    }
    expect(await refState(registry)).toBe(before);
    expect(served.stderr()).not.toContain(good.split('_')[2]!);
    expect(served.stderr()).not.toContain(BAD.split('_')[2]!);
  });

  it('in process: a locked-out address runs no key check at all, and may try again once the window has passed', async () => {
    const repo = await Repository.openGitDir(registry);
    const ctx = { repo, identity: async () => ({ name: 'serve', email: 'serve@acme.com' }), now: () => new Date() };
    const real = registryKeyAuth(ctx);
    let checks = 0;
    const counted: KeyAuth = { ...real, authenticate: (h, now) => (checks++, real.authenticate(h, now)) };
    let clock = 1_000_000;
    const server = await startApiServer({ ctx, auth: counted, host: '127.0.0.1', port: 0, throttle: { limit: 3, windowMs: 60_000, now: () => clock } });
    try {
      for (let i = 0; i < 3; i++) expect((await call(server.url, 'GET', '/api/v1/teams', { key: BAD })).status).toBe(401);
      expect(checks).toBe(3);
      clock += 30_000;
      const locked = await call(server.url, 'GET', '/api/v1/teams', { key: good });
      expect([locked.status, locked.headers.get('retry-after')]).toEqual([429, '30']);
      expect(checks).toBe(3);
      clock += 30_001;
      const open = await call(server.url, 'GET', '/api/v1/teams', { key: good });
      expect(open.status, JSON.stringify(open.body)).toBe(200);
      expect(checks).toBe(4);
    } finally {
      await server.close();
      repo.close();
    }
  });
});

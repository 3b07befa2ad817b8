/**
 * Issue 15, "What it must show" 4: `kill -9` of `tessera serve` mid-write.
 * Several trials, each killing the server a random time into a publish:
 * afterwards the registry holds the old state or the new one (never a half
 * write: `git fsck` clean, `tessera verify` exits 0, the asset at one of the
 * two versions), and after a restart the client's retry of the same request
 * does not publish twice (a second identical publish is `unchanged`, and the
 * asset has exactly two versions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { cleanupTempDirs, refState, USERS_V1, type Machine } from '../helpers/machines.js';
import { call, must, startServe, teamRegistry, type ApiReply } from './harness.js';

const TRIALS = 6;
const V2 = { ...USERS_V1, properties: { ...USERS_V1.properties, country: { type: 'string' } } };

let root: string;
let registry: string;
let ana: Machine;
let key = '';

beforeAll(async () => {
  const made = await teamRegistry('tessera-serve-kill-', { growth: 'ana@acme.com' });
  ({ root, registry } = made);
  ana = made.members.growth!;
  key = must(await ana.run(['key', 'create', '--team', 'growth']), 'key').trim();
}, 60_000);

afterAll(cleanupTempDirs);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The refs once git children orphaned by the kill (they finish their own work) have stopped moving them. */
async function settledRefs(): Promise<string> {
  let last = await refState(registry);
  for (;;) {
    await sleep(250);
    const now = await refState(registry);
    if (now === last) return now;
    last = now;
  }
}

async function versions(asset: string): Promise<string[]> {
  const r = await ana.run(['versions', asset, '--json']);
  if (r.exitCode !== 0) return [];
  return (JSON.parse(r.stdout).versions as Array<{ version: string }>).map((v) => v.version).sort();
}

describe('kill -9 of tessera serve mid-write', () => {
  it(`${TRIALS} trials: old or new state, verify 0, fsck clean, and a retry does not publish twice`, async () => {
    const outcomes: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const asset = `killed_${trial}`;
      let served = await startServe(ana.env);
      const t0 = performance.now();
      expect((await call(served.url, 'POST', `/api/v1/assets/${asset}/contracts`, { key, body: { schema: USERS_V1 } })).status).toBe(201);
      const latency = performance.now() - t0;
      const body = { schema: V2 };
      const inflight = call(served.url, 'POST', `/api/v1/assets/${asset}/contracts`, { key, body }).catch((e: Error) => e);
      // Anywhere from before the body is read to after the reply: the write's whole span, drawn at random.
      await sleep(Math.random() * latency * 1.5);
      served.child.kill('SIGKILL');
      await served.stop();
      const answered = await inflight;
      await settledRefs();

      const fsck = await execa('git', ['fsck', '--strict', '--no-dangling'], { cwd: registry, reject: false });
      expect([trial, fsck.exitCode, fsck.stdout, fsck.stderr]).toEqual([trial, 0, '', '']);
      const verify = await ana.run(['verify']);
      expect([trial, verify.exitCode], verify.stdout + verify.stderr).toEqual([trial, 0]);
      const after = await versions(asset);
      expect([['1.0.0'], ['1.0.0', '1.1.0']], `trial ${trial}: ${after.join(',')}`).toContainEqual(after);
      const wasNew = after.length === 2;
      outcomes.push(`${wasNew ? 'new' : 'old'}${answered instanceof Error ? '' : ` (answered ${(answered as ApiReply).status})`}`);

      // The client retries the same request against the restarted server.
      served = await startServe(ana.env);
      try {
        const retry = await call(served.url, 'POST', `/api/v1/assets/${asset}/contracts`, { key, body });
        expect([trial, retry.status, retry.body.action]).toEqual([trial, wasNew ? 200 : 201, wasNew ? 'unchanged' : 'published']);
        const again = await call(served.url, 'POST', `/api/v1/assets/${asset}/contracts`, { key, body });
        expect([trial, again.status, again.body.action]).toEqual([trial, 200, 'unchanged']);
      } finally {
        await served.stop();
      }
      expect(await versions(asset)).toEqual(['1.0.0', '1.1.0']);
    }
    console.log(`kill -9 trials: ${outcomes.join('; ')}`);
    const verify = await ana.run(['verify']);
    expect(verify.exitCode).toBe(0);
    // Scratch refs of killed writers are litter, pruned by the next write.
    expect(await refState(registry)).not.toMatch(/refs\/tessera\/scratch\/\d+-/);
  }, 600_000);
});

/**
 * Issue 15, "What it must show" 1: the original Tessera README's Python
 * snippet, verbatim (only the key replaced by one from `tessera key create`),
 * run with Debian's /usr/bin/python3 and httpx against `tessera serve` on
 * localhost:8000. Then the same snippet without email gets 202 naming the
 * registered consumer teams, they acknowledge with their own keys, the
 * proposal merges, `tessera log` on another clone shows each step with the
 * key's team, and `tessera verify` exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { cleanupTempDirs, gitIn, machine, tempDir, type Machine } from '../helpers/machines.js';
import { spawnSync } from 'node:child_process';
import { call, must, startServe, type Served } from './harness.js';

// Debian's python3-httpx runs the snippet; .ci/run installs it and requires it, elsewhere its absence is a printed skip.
const HAS_HTTPX = spawnSync('/usr/bin/python3', ['-c', 'import httpx']).status === 0;
if (!HAS_HTTPX && (process.env.CI || process.env.TESSERA_REQUIRE_HTTPX === '1')) throw new Error('/usr/bin/python3 has no httpx, and CI must run the original example (apt-get install -y python3-httpx)');
if (!HAS_HTTPX) console.warn('SKIPPED: the original README example (test/serve/original-example.test.ts): /usr/bin/python3 has no httpx (apt-get install -y python3-httpx)');

const SNIPPET = `import httpx
response = httpx.post(
    "http://localhost:8000/api/v1/assets/my-asset-id/contracts",
    json={
        "schema": {
            "type": "object",
            "properties": {
                "user_id": {"type": "integer"},
                "email": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"}
            },
            "required": ["user_id", "email"]
        },
        "compatibility_mode": "backward"
    },
    headers={"Authorization": "Bearer your-api-key"}
)
`;

/** "If you later try to remove email": the same request without it. */
const WITHOUT_EMAIL = SNIPPET.replace('                "email": {"type": "string"},\n', '').replace('"required": ["user_id", "email"]', '"required": ["user_id"]');

// Printing the outcome is added after the snippet; the snippet itself is unchanged.
const REPORT = 'print(response.status_code)\nprint(response.text)\n';

let root: string;
let registry: string;
let served: Served;
let ana: Machine;
const keys: Record<string, string> = {};

async function runPython(source: string, key: string): Promise<{ status: number; body: any }> {
  const file = path.join(root, `snippet-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, source.replace('Bearer your-api-key', `Bearer ${key}`) + REPORT);
  const r = await execa('/usr/bin/python3', [file], { reject: false, env: { NO_PROXY: '*', HTTP_PROXY: '', HTTPS_PROXY: '', ALL_PROXY: '' } });
  if (r.exitCode !== 0) throw new Error(`python failed: ${r.stderr}`);
  const [status, ...rest] = r.stdout.split('\n');
  return { status: Number(status), body: JSON.parse(rest.join('\n')) };
}

beforeAll(async () => {
  if (!HAS_HTTPX) return;
  root = tempDir('tessera-original-');
  registry = path.join(root, 'registry.git');
  const env = { TESSERA_REGISTRY: registry };
  ana = machine(root, 'ana', 'ana@acme.com', env);
  const fay = machine(root, 'fay', 'fay@acme.com', env);
  const max = machine(root, 'max', 'max@acme.com', env);
  must(await ana.run(['init', registry]), 'init');
  must(await ana.run(['team', 'add', 'growth', '--member', 'ana@acme.com']), 'team growth');
  must(await ana.run(['team', 'add', 'finance', '--member', 'fay@acme.com']), 'team finance');
  must(await ana.run(['team', 'add', 'marketing', '--member', 'max@acme.com']), 'team marketing');
  keys.growth = must(await ana.run(['key', 'create', '--team', 'growth', '--name', 'airflow']), 'key growth').trim();
  keys.finance = must(await fay.run(['key', 'create', '--team', 'finance']), 'key finance').trim();
  keys.marketing = must(await max.run(['key', 'create', '--team', 'marketing']), 'key marketing').trim();
  served = await startServe(ana.env, ['--port', '8000', '--host', '127.0.0.1']);
}, 120_000);

afterAll(async () => {
  await served?.stop();
  cleanupTempDirs();
});

describe.skipIf(!HAS_HTTPX)("the original README's example against tessera serve", () => {
  let proposalId = '';

  it('publishes: 201, and the contract is in the registry, owned by the key\'s team', async () => {
    const r = await runPython(SNIPPET, keys.growth!);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ action: 'published', asset: 'my-asset-id', version: '1.0.0', owner: 'growth' });
    const show = JSON.parse(must(await ana.run(['show', 'my-asset-id', '--json']), 'show'));
    expect(JSON.stringify(show)).toContain('"email"');
    expect(JSON.stringify(show)).toContain('growth');
  });

  it('the same request again is unchanged: 200', async () => {
    const r = await runPython(SNIPPET, keys.growth!);
    expect(r.status).toBe(200);
    expect(r.body.action).toBe('unchanged');
  });

  it('removing email, once two teams consume the asset, opens a proposal naming them: 202', async () => {
    for (const team of ['finance', 'marketing']) {
      const reg = await call(served.url, 'POST', '/api/v1/assets/my-asset-id/registrations', { key: keys[team]!, body: { purpose: 'reporting' } });
      expect([team, reg.status, reg.body.action]).toEqual([team, 201, 'registered']);
    }
    const r = await runPython(WITHOUT_EMAIL, keys.growth!);
    expect(r.status).toBe(202);
    expect(r.body.action).toBe('proposal_created');
    expect([...r.body.proposal.required_teams].sort()).toEqual(['finance', 'marketing']);
    expect(r.body.proposal.expires_at).toMatch(/^\d{4}-/);
    expect(r.body.changes.some((c: { breaking: boolean; path: string }) => c.breaking && c.path.includes('email'))).toBe(true);
    proposalId = r.body.proposal.id;
  });

  it('the consumer teams acknowledge with their own keys; the last ack merges the proposal', async () => {
    const first = await call(served.url, 'POST', `/api/v1/proposals/${proposalId}/acknowledge`, { key: keys.finance!, body: { decision: 'approve', note: 'we never read email' } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ team: 'finance', decision: 'approve', merged: false, pending: ['marketing'] });
    const last = await call(served.url, 'POST', `/api/v1/proposals/${proposalId}/acknowledge`, { key: keys.marketing!, body: { decision: 'approve' } });
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ team: 'marketing', merged: true });
    const contracts = await call(served.url, 'GET', '/api/v1/assets/my-asset-id/contracts', { key: keys.finance! });
    expect(contracts.body.current_version).toBe('2.0.0');
  });

  it("tessera log on another clone shows every step with the key's team and the Tessera-Key trailers", async () => {
    const clone = path.join(root, 'clone.git');
    await gitIn(root, ['clone', '--quiet', '--mirror', registry, clone]);
    const other = machine(root, 'olga', 'olga@acme.com', { TESSERA_REGISTRY: clone });
    const log = must(await other.run(['log']), 'log');
    const line = (event: string, team: string) => log.split('\n').find((l) => l.includes(event) && l.includes(`${team} key `));
    expect(line('contract.published', 'growth'), log).toBeDefined();
    expect(line('consumer.registered', 'finance'), log).toBeDefined();
    expect(line('consumer.registered', 'marketing'), log).toBeDefined();
    expect(line('proposal.created', 'growth'), log).toBeDefined();
    expect(line('proposal.acked', 'finance'), log).toBeDefined();
    expect(line('proposal.acked', 'marketing'), log).toBeDefined();
    expect(log).toMatch(/proposal\.merged/);
    const trailers = await gitIn(clone, ['log', '--all', '--format=%(trailers:key=Tessera-Key,valueonly)']);
    expect(trailers).toContain(keys.growth!.split('_')[1]);
    expect(trailers).toContain(keys.finance!.split('_')[1]);
  });

  it('tessera verify exits 0 on that history (acks made through keys of the acking teams)', async () => {
    const other = machine(root, 'vera', 'vera@acme.com', { TESSERA_REGISTRY: registry });
    const verify = await other.run(['verify']);
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  });
});

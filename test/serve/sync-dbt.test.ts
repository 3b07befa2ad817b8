/**
 * POST /api/v1/sync/dbt against the real `tessera serve`: the same manifest
 * through `tessera sync-dbt --json` and through the API gives the same
 * report; the route has its own body limit (413 above it, while --max-body
 * stays small for the others); a corrupt manifest is the CLI's one-line
 * reason with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, refState, type Machine } from '../helpers/machines.js';
import { DEMO_DIR } from '../dbt/helpers.js';
import { call, must, startServe, teamRegistry, type ApiReply, type Served } from './harness.js';

const demo = path.join(DEMO_DIR, 'manifest.json');
const demoText = readFileSync(demo, 'utf8');

let root: string;
let registry: string;
let served: Served;
let ana: Machine;
const keys: Record<string, string> = {};

beforeAll(async () => {
  const made = await teamRegistry('tessera-serve-sync-', { growth: 'ana@acme.com' });
  ({ root, registry } = made);
  ana = made.members.growth!;
  keys.growth = must(await ana.run(['key', 'create', '--team', 'growth']), 'key').trim();
  keys.reader = must(await ana.run(['key', 'create', '--team', 'growth', '--scope', 'read']), 'key').trim();
  // --max-body far below the manifest's size: the route must use its own limit, not this one.
  served = await startServe(ana.env, ['--max-body', '4096', '--max-manifest-body', String(4 * demoText.length)]);
}, 120_000);

afterAll(async () => {
  await served?.stop();
  cleanupTempDirs();
});

const sync = (body: unknown, key = keys.growth!) => call(served.url, 'POST', '/api/v1/sync/dbt', { key, body });

async function cliJson(args: string[]): Promise<any> {
  const r = await ana.run(['sync-dbt', ...args, '--json']);
  expect([0, 1], r.stderr).toContain(r.exitCode);
  return JSON.parse(r.stdout);
}

function refused(r: ApiReply, status: number, code: string): void {
  expect([r.status, r.body?.error?.code], JSON.stringify(r.body).slice(0, 300)).toEqual([status, code]);
  expect(r.body.error.message).not.toContain('\n');
}

describe('POST /api/v1/sync/dbt', () => {
  it('a dry run answers exactly what tessera sync-dbt --dry-run --json prints, the manifest as an object or as text, writing nothing', async () => {
    const before = await refState(registry);
    const cli = await cliJson([demo, '--dry-run', '--owner-default', 'growth']);
    const asObject = await sync({ manifest: JSON.parse(demoText), dry_run: true, owner_default: 'growth', file: demo });
    expect(asObject.status, JSON.stringify(asObject.body).slice(0, 300)).toBe(200);
    expect(asObject.body).toEqual(cli);
    const asText = await sync({ manifest: demoText, dry_run: true, owner_default: 'growth', file: demo });
    expect(asText.body).toEqual(cli);
    expect(cli.changed).toBe(true);
    expect(cli.counts.created).toBeGreaterThan(0);
    expect(await refState(registry)).toBe(before);
  });

  it('refuses a corrupt manifest with the CLI one-line reason, nothing written', async () => {
    const before = await refState(registry);
    const truncated = demoText.slice(0, Math.floor(demoText.length / 2));
    const file = path.join(root, 'truncated.json');
    writeFileSync(file, truncated);
    const r = await ana.run(['sync-dbt', file]);
    expect(r.exitCode).toBe(2);
    const api = await sync({ manifest: truncated, file });
    refused(api, 400, 'invalid_input');
    // The CLI prints "tessera: <message> (<fix>)"; the API gives the same two parts.
    expect(r.stderr.trim()).toBe(`tessera: ${api.body.error.message} (${api.body.error.fix})`);
    refused(await sync({ manifest: { metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json' } } }), 400, 'invalid_input');
    refused(await sync({ manifest: 42 }), 400, 'invalid_body');
    refused(await sync({ dry_run: true }), 400, 'invalid_body');
    refused(await sync({ manifest: demoText, fail_on: 'sometimes' }), 400, 'invalid_body');
    refused(await sync({ manifest: demoText, file: 'a\nb' }), 400, 'invalid_body');
    refused(await sync({ manifest: demoText }, keys.reader), 403, 'insufficient_scope');
    expect(await refState(registry)).toBe(before);
  });

  it('has its own body limit: 413 above --max-manifest-body, nothing written', async () => {
    const before = await refState(registry);
    const big = JSON.stringify({ manifest: demoText, padding: 'x'.repeat(4 * demoText.length) });
    refused(await call(served.url, 'POST', '/api/v1/sync/dbt', { key: keys.growth!, raw: big }), 413, 'body_too_large');
    // The other routes keep --max-body.
    refused(await call(served.url, 'POST', '/api/v1/assets/a/contracts', { key: keys.growth!, body: { schema: { type: 'object', description: 'x'.repeat(5000) } } }), 413, 'body_too_large');
    expect(await refState(registry)).toBe(before);
  });

  it('a real run writes what the CLI would: its report is the dry run but for what was written, and the CLI then finds nothing to do', async () => {
    const dry = await cliJson([demo, '--dry-run', '--owner-default', 'growth']);
    const r = await sync({ manifest: JSON.parse(demoText), owner_default: 'growth', file: demo });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    expect(r.body.commit).toMatch(/^[0-9a-f]{40}$/);
    const { dry_run, commit, summary, ...rest } = r.body;
    const { dry_run: d1, commit: c1, summary: s1, ...dryRest } = dry;
    expect([dry_run, d1, c1]).toEqual([false, true, null]);
    expect(summary).toMatch(/^wrote /);
    expect(s1).toMatch(/^dry run: would /);
    expect(rest).toEqual(dryRest);
    const head = must(await ana.run(['log', '--json']), 'log');
    expect(head).toContain(commit);
    const again = await cliJson([demo, '--owner-default', 'growth']);
    expect(again.changed).toBe(false);
    // The sync's commit names the key and its team, as every API write does.
    const entry = JSON.parse(head).events.find((e: any) => e.commit === commit);
    expect([entry?.event, entry?.key?.team]).toEqual(['dbt.synced', 'growth']);
  });
});

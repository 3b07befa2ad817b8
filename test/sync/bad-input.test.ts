/**
 * Bad inputs to sync-dbt and record-results: one line on stderr, a non-zero
 * exit, and the registry exactly as it was. Plus the authorisation rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bareRemote, cleanupTempDirs, gitIn, machine, refState, tempDir, writeJson, type Machine } from '../helpers/machines.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { DEMO_DIR } from '../dbt/helpers.js';
import { freshRegistry, runJson } from './helpers.js';

afterAll(cleanupTempDirs);

const demo = path.join(DEMO_DIR, 'manifest.json');

async function expectRefused(m: Machine, reg: string, args: string[], code: number, pattern: RegExp): Promise<void> {
  const before = await refState(reg);
  const r = await m.run(args);
  expect(r.exitCode, r.stderr).toBe(code);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(await refState(reg)).toBe(before);
}

describe('sync-dbt and record-results refuse bad inputs', () => {
  let root: string;
  let registry: string;
  let ci: Machine;
  beforeAll(async () => {
    root = tempDir('tessera-sync-bad-');
    ({ registry, ci } = await freshRegistry(root));
    await runJson(ci, ['sync-dbt', demo]);
  });

  it('a truncated manifest', async () => {
    const text = readFileSync(demo, 'utf8');
    const file = path.join(root, 'truncated.json');
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    await expectRefused(ci, registry, ['sync-dbt', file], 2, /truncated\.json is not valid JSON.*truncated/);
  });

  it('a v3 manifest', async () => {
    const raw = JSON.parse(readFileSync(demo, 'utf8'));
    raw.metadata.dbt_schema_version = 'https://schemas.getdbt.com/dbt/manifest/v3.json';
    await expectRefused(ci, registry, ['sync-dbt', writeJson(root, 'v3.json', raw)], 2, /v3\.json: .*v3.*dbt parse/);
  });

  it('a run_results.json passed as the manifest', async () => {
    await expectRefused(ci, registry, ['sync-dbt', path.join(DEMO_DIR, 'run_results.json')], 2, /run_results\.json: .*run-results/);
    await expectRefused(ci, registry, ['record-results', path.join(DEMO_DIR, 'run_results.json'), '--manifest', path.join(DEMO_DIR, 'run_results.json')], 2, /run-results/);
  });

  it('a manifest passed as run_results', async () => {
    await expectRefused(ci, registry, ['record-results', demo, '--manifest', demo], 2, /not a dbt run_results\.json.*manifest/);
  });

  it('a missing file', async () => {
    await expectRefused(ci, registry, ['sync-dbt', path.join(root, 'nope.json')], 2, /nope\.json: no such file/);
    await expectRefused(ci, registry, ['record-results', path.join(root, 'nope.json'), '--manifest', demo], 2, /nope\.json: no such file/);
  });

  it('an unknown --fail-on and an unusable --owner-default', async () => {
    await expectRefused(ci, registry, ['sync-dbt', demo, '--fail-on', 'sometimes'], 2, /fail-on/);
    await expectRefused(ci, registry, ['sync-dbt', demo, '--owner-default', '@@@'], 2, /not a usable team name/);
  });

  it('new assets without an owner', async () => {
    const raw = JSON.parse(readFileSync(demo, 'utf8'));
    raw.nodes['model.shop.extra'] = { ...raw.nodes['model.shop.stg_orders'], unique_id: 'model.shop.extra', name: 'extra', alias: 'extra', meta: {}, config: { ...raw.nodes['model.shop.stg_orders'].config, meta: {}, group: null }, group: null };
    await expectRefused(ci, registry, ['sync-dbt', writeJson(root, 'unowned.json', raw)], 2, /1 new asset\(s\) have no owner.*--owner-default/);
  });
});

describe('sync-dbt against a registry remote that is down', () => {
  it('fails with exit 3 and one line, and the remote is unchanged', async () => {
    const root = tempDir('tessera-sync-remote-');
    const remote = await bareRemote(root);
    const ci = machine(root, 'ci', 'ci-bot@acme.com', { TESSERA_REGISTRY: `file://${remote}` });
    expect((await ci.run(['init', path.join(root, 'clone'), '--remote', `file://${remote}`])).exitCode).toBe(0);
    await runJson(ci, ['sync-dbt', demo]);
    const before = await refState(remote);
    const away = `${remote}-away`;
    renameSync(remote, away);
    try {
      const r = await ci.run(['sync-dbt', path.join(DEMO_DIR, 'manifest-breaking.json')]);
      expect(r.exitCode, r.stderr).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/cannot reach the registry remote/);
    } finally {
      renameSync(away, remote);
    }
    expect(await refState(remote)).toBe(before);
  });
});

describe('sync-dbt authorisation', () => {
  it('refuses an actor outside the owner team, and accepts it once listed in policy.ci_actors', async () => {
    const root = tempDir('tessera-sync-auth-');
    const { registry } = await freshRegistry(root);
    const pat = machine(root, 'pat', 'pat@acme.com', { TESSERA_REGISTRY: registry });
    await runJson(pat, ['team', 'add', 'commerce', '--member', 'pat@acme.com']);
    const bot = machine(root, 'bot', 'bot@ci.acme.com', { TESSERA_REGISTRY: registry });
    await expectRefused(bot, registry, ['sync-dbt', demo], 1, /bot@ci\.acme\.com is not a member of owner team\(s\) 'commerce'.*ci_actors/);
    // The registry's admins list the bot in tessera.yaml (a plain git commit on the registry).
    const work = path.join(root, 'work');
    await gitIn(root, ['clone', '--quiet', registry, work]);
    const config = readFileSync(path.join(work, 'tessera.yaml'), 'utf8').replace(/ci_actors: \[\]/, 'ci_actors: [bot@ci.acme.com]');
    expect(config).toMatch(/ci_actors: \[bot@ci\.acme\.com\]/);
    writeFileSync(path.join(work, 'tessera.yaml'), config);
    const id = { GIT_AUTHOR_NAME: 'pat', GIT_AUTHOR_EMAIL: 'pat@acme.com', GIT_COMMITTER_NAME: 'pat', GIT_COMMITTER_EMAIL: 'pat@acme.com' };
    await gitIn(work, ['commit', '--quiet', '-am', 'allow the CI bot'], id);
    await gitIn(work, ['push', '--quiet', 'origin', 'HEAD:main'], id);
    const out = await runJson(bot, ['sync-dbt', demo]);
    expect(out.counts.created).toBe(8);
  });
});

describe.skipIf(!sharedAvailable('fixtures', 'dbt'))('sync-dbt --format github', () => {
  it('caps each kind at 10 with a closing notice, and appends a summary table to GITHUB_STEP_SUMMARY', async () => {
    const root = tempDir('tessera-sync-gh-');
    const summary = path.join(root, 'summary.md');
    writeFileSync(summary, '');
    const { registry } = await freshRegistry(root);
    const ci = machine(root, 'gh', 'ci-bot@acme.com', { TESSERA_REGISTRY: registry, GITHUB_STEP_SUMMARY: summary });
    // bouncer-v11 has many assets with untyped columns: more than 10 warnings.
    const r = await ci.run(['sync-dbt', sharedPath('fixtures', 'dbt', 'bouncer-v11', 'manifest.json'), '--owner-default', 'data', '--format', 'github', '--fail-on', 'never']);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.every((l) => /^::(error|warning|notice) /.test(l))).toBe(true);
    expect(lines.filter((l) => l.startsWith('::warning'))).toHaveLength(10);
    expect(lines.some((l) => /::notice title=tessera sync-dbt::\d+ more warnings not shown/.test(l))).toBe(true);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^### .*tessera sync-dbt/m);
    expect(md).toMatch(/\| created \| published \|/);
  });
});

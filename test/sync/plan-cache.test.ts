/**
 * The dbt plan cache (src/cli/sync-dbt/plan-cache.ts): a manifest with the
 * content of one planned before (another dbt run of the same project) skips
 * parsing and planning, still plans the sync against the registry as it is
 * now, and answers exactly as a full planning does. A damaged entry never
 * gives a wrong answer.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, gitIn, machine, tempDir, type Machine } from '../helpers/machines.js';
import { DEMO_DIR, demoJson } from '../dbt/helpers.js';
import { freshRegistry, type Reg } from './helpers.js';
import { parseManifest, planFromManifest } from '../../src/dbt/index.js';
import { contractText, digestOfContractText } from '../../src/core/contract-digest.js';
import { loadPlan, MAX_PLAN_ENTRIES, readAlias, savePlan, writeAlias, type PlannedManifest } from '../../src/cli/sync-dbt/plan-cache.js';

afterAll(cleanupTempDirs);

const FROM_CACHE = /tessera: timing plan read from cache/;
const PARSED = /tessera: timing manifest JSON.parse/;

/** The demo manifest (or its breaking variant) as another dbt invocation wrote it. */
function rerun(dir: string, which: 'manifest.json' | 'manifest-breaking.json', n: number): string {
  const m = demoJson(which) as { metadata: { invocation_id: string; generated_at: string } };
  // The file's own bytes with new values: dbt writes the rest of the file the same way every run.
  const text = readFileSync(path.join(DEMO_DIR, which), 'utf8')
    .replace(m.metadata.invocation_id, `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`)
    .replace(m.metadata.generated_at, `2026-11-26T10:00:0${n % 10}.000000Z`);
  const file = path.join(dir, `run-${n}-${which}`);
  writeFileSync(file, text);
  return file;
}

function timed(reg: Reg, extra: Record<string, string> = {}): Machine {
  return machine(path.dirname(reg.registry), `timed-${Object.keys(extra).join('-') || 'plain'}`, reg.ci.email, { ...reg.ci.env, TESSERA_TIMINGS: '1', ...extra });
}

async function refs(registry: string): Promise<string> {
  return gitIn(registry, ['for-each-ref', '--format=%(refname) %(objectname)']);
}

function cacheFiles(reg: Reg): string[] {
  const dir = path.join(reg.registry, 'tessera', 'dbt-plans');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

async function sync(m: Machine, args: string[], code = 0) {
  const r = await m.run(['sync-dbt', ...args]);
  expect(r.exitCode, r.stderr + r.stdout.slice(0, 3000)).toBe(code);
  return { stdout: r.stdout, stderr: r.stderr, json: args.includes('--json') ? JSON.parse(r.stdout) : undefined, cached: FROM_CACHE.test(r.stderr), parsed: PARSED.test(r.stderr) };
}

describe('sync-dbt plan cache', () => {
  it('another dbt run of the same project is planned from the cache, with its own header, the same as planning in full', async () => {
    const root = tempDir('tessera-plan-cache-');
    const reg = await freshRegistry(root);
    const t = timed(reg);
    const first = await sync(t, [path.join(DEMO_DIR, 'manifest.json'), '--owner-default', 'data-platform', '--json']);
    expect(first).toMatchObject({ cached: false, parsed: true });
    expect(first.json.counts.created).toBeGreaterThan(5);
    expect(cacheFiles(reg).filter((f) => f.endsWith('.json'))).toHaveLength(1);

    const again = rerun(root, 'manifest.json', 1);
    const before = await refs(reg.registry);
    const hit = await sync(t, [again, '--owner-default', 'data-platform', '--json', '--no-memo']);
    const full = await sync(t, [again, '--owner-default', 'data-platform', '--json', '--no-memo', '--no-plan-cache']);
    expect(hit).toMatchObject({ cached: true, parsed: false });
    expect(full).toMatchObject({ cached: false, parsed: true });
    expect(hit.stdout).toBe(full.stdout);
    expect(hit.json.manifest.invocationId).toBe('00000000-0000-4000-8000-000000000001');
    expect(hit.json.counts.unchanged).toBe(first.json.counts.created);
    expect(await refs(reg.registry)).toBe(before);
    // Text, markdown and GitHub output are the same too.
    for (const format of ['text', 'markdown', 'github']) {
      const a = await sync(t, [again, '--owner-default', 'data-platform', '--format', format, '--no-memo']);
      const b = await sync(t, [again, '--owner-default', 'data-platform', '--format', format, '--no-memo', '--no-plan-cache']);
      expect(a.cached, format).toBe(true);
      expect(a.stdout, format).toBe(b.stdout);
      // Text output says so on stderr (a progress line), the other formats keep stderr for timings only.
      expect(/plan read from the plan cache \(--no-plan-cache/.test(a.stderr), format).toBe(format === 'text');
    }
  });

  // SQL is contract input since scoped acknowledgments (a cross-team model's columns scope its team, docs/scoped-acks.md), so the edit is to a node field no reader looks at.
  it('a manifest whose checksums changed and whose contracts did not is planned from the cache; a changed column is not', async () => {
    const root = tempDir('tessera-plan-cache-sql-');
    const reg = await freshRegistry(root);
    const t = timed(reg);
    const demo = path.join(DEMO_DIR, 'manifest.json');
    await sync(t, [demo, '--owner-default', 'data-platform']);
    const text = readFileSync(demo, 'utf8');
    const sql = path.join(root, 'manifest-sql.json');
    writeFileSync(sql, text.replace(/"checksum": "[0-9a-f]{8}/g, '"checksum": "00000000'));
    expect(readFileSync(sql, 'utf8')).not.toBe(text);
    const walked = /tessera: timing contract input fingerprinted/;
    const first = await t.run(['sync-dbt', sql, '--owner-default', 'data-platform', '--json', '--no-memo']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toMatch(walked);
    expect(first.stderr).toMatch(FROM_CACHE);
    const full = await sync(t, [sql, '--owner-default', 'data-platform', '--json', '--no-memo', '--no-plan-cache']);
    expect(first.stdout).toBe(full.stdout);
    // The same file again: found by its content fingerprint, without walking it.
    const again = await t.run(['sync-dbt', sql, '--owner-default', 'data-platform', '--json', '--no-memo']);
    expect(again.stderr).toMatch(FROM_CACHE);
    expect(again.stderr).not.toMatch(walked);
    expect(again.stdout).toBe(full.stdout);
    // A column's type is contract input.
    const typed = path.join(root, 'manifest-typed.json');
    writeFileSync(typed, text.replace(/"data_type": "[^"]*"/, '"data_type": "text"'));
    const retyped = await sync(t, [typed, '--owner-default', 'data-platform', '--json', '--no-memo', '--dry-run']);
    expect(retyped).toMatchObject({ cached: false, parsed: true });
    expect(retyped.json.counts['published-major']).toBe(1);
  });

  it('a cached plan is still planned against the registry: contracts that differ from main are read from the cache', async () => {
    const root = tempDir('tessera-plan-cache-registry-');
    const reg = await freshRegistry(root);
    const t = timed(reg);
    await sync(t, [path.join(DEMO_DIR, 'manifest.json'), '--owner-default', 'data-platform']);
    const opened = await sync(t, [path.join(DEMO_DIR, 'manifest-breaking.json'), '--owner-default', 'data-platform', '--json'], 1);
    expect(opened.json.counts.proposed).toBeGreaterThan(0);
    const before = await refs(reg.registry);
    const again = rerun(root, 'manifest-breaking.json', 2);
    // Waiting on open proposals still fails (the changes are not live): exit 1, like the first run.
    const hit = await sync(t, [again, '--owner-default', 'data-platform', '--json', '--no-memo'], 1);
    const full = await sync(t, [again, '--owner-default', 'data-platform', '--json', '--no-memo', '--no-plan-cache'], 1);
    expect(hit.cached).toBe(true);
    expect(hit.stdout).toBe(full.stdout);
    expect(hit.json.counts['proposal-open']).toBe(opened.json.counts.proposed);
    expect(await refs(reg.registry)).toBe(before);
  });

  it('a damaged entry never answers: a size mismatch plans in full; a contract that does not match its digest fails once, naming the entry, and is removed', async () => {
    const root = tempDir('tessera-plan-cache-damaged-');
    const reg = await freshRegistry(root);
    const t = timed(reg);
    const breaking = path.join(DEMO_DIR, 'manifest-breaking.json');
    await sync(t, [path.join(DEMO_DIR, 'manifest.json'), '--owner-default', 'data-platform', '--no-plan-cache']);
    await sync(t, [breaking, '--owner-default', 'data-platform', '--no-plan-cache'], 1);
    expect(cacheFiles(reg)).toEqual([]);
    // Proposals are open: the contracts of two assets differ from main's, so a cached plan reads them.
    const args = [breaking, '--owner-default', 'data-platform', '--json', '--no-memo'];
    const expected = (await sync(t, args, 1)).stdout;
    const dir = path.join(reg.registry, 'tessera', 'dbt-plans');
    const contracts = path.join(dir, cacheFiles(reg).find((f) => f.endsWith('.contracts'))!);
    const index = contracts.replace(/\.contracts$/, '.json');
    const text = readFileSync(contracts, 'utf8');
    const before = await refs(reg.registry);

    // Truncated: not used, planned in full and written again.
    writeFileSync(contracts, text.slice(0, -10));
    const truncated = await sync(t, args, 1);
    expect(truncated).toMatchObject({ cached: false, parsed: true });
    expect(truncated.stdout).toBe(expected);
    expect(readFileSync(contracts, 'utf8')).toBe(text);

    // Same size, other content: the first contract read does not match its digest.
    writeFileSync(contracts, text.replaceAll('"type"', '"typE"'));
    const r = await t.run(['sync-dbt', ...args]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('');
    const errors = r.stderr.split('\n').filter((l) => l && !l.startsWith('tessera: timing'));
    expect(errors[0]).toMatch(/the dbt plan cache entry .*\.json is damaged \(the contract of \S+ does not match its digest\); it has been removed/);
    expect(errors.join('\n')).toMatch(/run the sync again/);
    expect(existsSync(index)).toBe(false);
    expect(await refs(reg.registry)).toBe(before);
    const healed = await sync(t, args, 1);
    expect(healed).toMatchObject({ cached: false, parsed: true });
    expect(healed.stdout).toBe(expected);

    // An index that is not JSON is a miss too.
    writeFileSync(index, '{"format": 1, "key": ');
    expect(await sync(t, args, 1)).toMatchObject({ cached: false, parsed: true, stdout: expected });
  });

  it('other options are other entries; --no-plan-cache, TESSERA_PLAN_CACHE=0 and --dry-run never write one', async () => {
    const root = tempDir('tessera-plan-cache-options-');
    const reg = await freshRegistry(root);
    const demo = path.join(DEMO_DIR, 'manifest.json');
    const off = timed(reg, { TESSERA_PLAN_CACHE: '0' });
    expect(await sync(off, [demo, '--owner-default', 'data-platform', '--dry-run'])).toMatchObject({ cached: false, parsed: true });
    const t = timed(reg);
    expect(await sync(t, [demo, '--owner-default', 'data-platform', '--dry-run', '--no-plan-cache'])).toMatchObject({ cached: false, parsed: true });
    expect(cacheFiles(reg)).toEqual([]);
    // A dry run reads the cache but writes nothing, the cache included.
    expect(await sync(t, [demo, '--owner-default', 'data-platform', '--dry-run'])).toMatchObject({ cached: false, parsed: true });
    expect(cacheFiles(reg)).toEqual([]);
    expect(await sync(off, [demo, '--owner-default', 'data-platform', '--no-memo'])).toMatchObject({ cached: false, parsed: true });
    expect(cacheFiles(reg)).toEqual([]);
    expect(await sync(t, [demo, '--owner-default', 'data-platform', '--no-memo'])).toMatchObject({ cached: false, parsed: true });
    expect(await sync(t, [demo, '--owner-default', 'data-platform', '--dry-run'])).toMatchObject({ cached: true, parsed: false });
    expect(await sync(t, [demo, '--owner-default', 'analytics', '--no-memo'])).toMatchObject({ cached: false, parsed: true });
    expect(await sync(t, [demo, '--owner-default', 'data-platform', '--select', 'shop:*', '--no-memo'])).toMatchObject({ cached: false, parsed: true });
    expect(await sync(off, [demo, '--owner-default', 'data-platform', '--dry-run'])).toMatchObject({ cached: false, parsed: true });
    expect(cacheFiles(reg).filter((f) => f.endsWith('.json'))).toHaveLength(3);
  });
});

describe('sync-dbt plan cache under concurrency', () => {
  it('six syncs of different dbt runs at once into one registry: all succeed, the assets are created once, and the cache they share answers the next run correctly', async () => {
    const root = tempDir('tessera-plan-cache-concurrent-');
    const reg = await freshRegistry(root);
    const t = timed(reg);
    const runs = Array.from({ length: 6 }, (_, n) => rerun(root, 'manifest.json', n + 1));
    const results = await Promise.all(runs.map((file) => t.run(['sync-dbt', file, '--owner-default', 'data-platform', '--json'])));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const created = results.map((r) => (JSON.parse(r.stdout) as { counts: { created: number } }).counts.created);
    expect(created.filter((c) => c > 0)).toHaveLength(1);
    const dir = path.join(reg.registry, 'tessera', 'dbt-plans');
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(1);
    const next = rerun(root, 'manifest.json', 9);
    const hit = await sync(t, [next, '--owner-default', 'data-platform', '--json', '--no-memo']);
    const full = await sync(t, [next, '--owner-default', 'data-platform', '--json', '--no-memo', '--no-plan-cache']);
    expect(hit.cached).toBe(true);
    expect(hit.stdout).toBe(full.stdout);
    expect(hit.json.counts.unchanged).toBe(Math.max(...created));
  });
});

describe('plan cache entries', () => {
  const plan = planFromManifest(parseManifest(demoJson('manifest.json')), { ownerDefault: 'data-platform' });
  const texts = plan.assets.map((a) => contractText(a.schema, a.guarantees));
  const planned: PlannedManifest = {
    header: plan.manifest,
    assets: plan.assets,
    digests: texts.map(digestOfContractText),
    teams: plan.teams,
    warnings: plan.warnings,
    packages: new Set(['shop']),
    totals: { assets: plan.assets.length, columns: 1, typed_columns: 1, guarantees: 1, owners: 1, consumers: 1, teams: plan.teams.length },
  };

  it('round-trip: a loaded plan equals the saved one, contracts included, with the header it is loaded with', () => {
    const gitDir = tempDir('tessera-plan-entry-');
    savePlan(gitDir, 'k1', planned, texts);
    const header = { ...plan.manifest, invocationId: 'another-run' };
    const loaded = loadPlan(gitDir, 'k1', header)!;
    expect(loaded.header).toEqual(header);
    expect(loaded.assets).toEqual(plan.assets);
    expect({ ...loaded, assets: undefined, header: undefined }).toEqual({ ...planned, assets: undefined, header: undefined });
    expect(loadPlan(gitDir, 'other-key', header)).toBeUndefined();
  });

  it('a loaded plan still reads its contracts after another sync pruned the entry', () => {
    const gitDir = tempDir('tessera-plan-pruned-');
    savePlan(gitDir, 'k1', planned, texts);
    const loaded = loadPlan(gitDir, 'k1', plan.manifest)!;
    rmSync(path.join(gitDir, 'tessera', 'dbt-plans'), { recursive: true });
    expect(loaded.assets.map((a) => a.schema)).toEqual(plan.assets.map((a) => a.schema));
  });

  it(`keeps the ${MAX_PLAN_ENTRIES} entries used last`, async () => {
    const gitDir = tempDir('tessera-plan-prune-');
    const hex = (i: number) => String(i).repeat(64);
    for (let i = 0; i < MAX_PLAN_ENTRIES + 2; i++) {
      // An alias names an entry by its 64-hex key: k<i> is named by alias a<i>.
      writeAlias(gitDir, `a${i}`, hex(i));
      savePlan(gitDir, hex(i), planned, texts);
      // Distinct modification times, oldest first; k0 is then used again, so it stays.
      await new Promise((r) => setTimeout(r, 15));
      if (i === MAX_PLAN_ENTRIES - 1) expect(loadPlan(gitDir, hex(0), plan.manifest)).toBeDefined();
    }
    const kept = readdirSync(path.join(gitDir, 'tessera', 'dbt-plans')).sort();
    const keys = [...new Set(kept.filter((f) => !f.endsWith('.alias')).map((f) => f.replace(/\.(json|contracts)$/, '')))].sort();
    expect(keys).toEqual([0, 3, 4, 5].map(hex));
    expect(kept.filter((f) => !f.endsWith('.alias'))).toHaveLength(2 * MAX_PLAN_ENTRIES);
    // Aliases of removed entries go with them.
    expect(kept.filter((f) => f.endsWith('.alias'))).toEqual(['a0.alias', 'a3.alias', 'a4.alias', 'a5.alias']);
    expect(readAlias(gitDir, 'a4')).toBe(hex(4));
    expect(readAlias(gitDir, 'a1')).toBeUndefined();
  });

  it('removes a temporary file a crash left long ago, not one another writer may be writing', () => {
    const gitDir = tempDir('tessera-plan-tmp-');
    const dir = path.join(gitDir, 'tessera', 'dbt-plans');
    mkdirSync(dir, { recursive: true });
    const old = path.join(dir, 'k9.contracts.123.tmp');
    const fresh = path.join(dir, 'k8.json.456.tmp');
    writeFileSync(old, 'x');
    writeFileSync(fresh, 'y');
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(old, hourAgo, hourAgo);
    savePlan(gitDir, 'k1', planned, texts);
    expect(readdirSync(dir).sort()).toEqual(['k1.contracts', 'k1.json', 'k8.json.456.tmp']);
  });
});

/**
 * The record-results use case called directly (src/app/record-results.ts)
 * on a real registry synced from the demo project, whose run has one failing
 * test (accepted_values on orders.status): quality.recorded for the commit,
 * quality.failed for that asset only, addressed to its owner.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, gitIn, tempDir } from '../helpers/machines.js';
import { DEMO_DIR, demoJson } from '../dbt/helpers.js';
import { freshRegistry, runJson } from '../sync/helpers.js';
import { Repository } from '../../src/registry/repository.js';
import { prepareRecordResults, recordResults, type PreparedResults } from '../../src/app/record-results.js';
import { parseManifest, parseRunResults } from '../../src/dbt/index.js';
import type { AppContext } from '../../src/app/context.js';

afterAll(cleanupTempDirs);

const ACTOR = { name: 'CI', email: 'ci-bot@acme.com' };
const AT = '2026-11-26T12:00:00Z';
const ORDERS = 'analytics.marts.orders';

function prepared(runResultsJson: unknown = demoJson('run_results.json')): PreparedResults {
  return prepareRecordResults({ file: 'run_results.json', manifestFile: 'manifest.json', runResultsJson, runResults: parseRunResults(runResultsJson), manifest: parseManifest(demoJson('manifest.json')) });
}

async function record(registry: string, input: PreparedResults) {
  const repo = await Repository.openGitDir(registry);
  const ctx: AppContext = { repo, identity: async () => ACTOR, now: () => new Date(AT) };
  try {
    return await recordResults(ctx, input);
  } finally {
    repo.close();
  }
}

describe('recordResults', () => {
  let registry: string;
  let owner: string;
  beforeAll(async () => {
    const reg = await freshRegistry(tempDir('tessera-app-quality-'));
    registry = reg.registry;
    await runJson(reg.ci, ['sync-dbt', path.join(DEMO_DIR, 'manifest.json'), '--owner-default', 'data-platform']);
    owner = (await runJson(reg.ci, ['show', ORDERS])).asset.owner;
  });

  it('quality.recorded for the commit, quality.failed for the one asset with a failing result, both on the new main head', async () => {
    const out = await record(registry, prepared());
    const main = (await gitIn(registry, ['rev-parse', 'refs/heads/main'])).trim();
    expect(out.result).toMatchObject({ action: 'recorded', commit: main });
    expect(out.result.events.filter((e) => e.status === 'fail').map((e) => e.asset)).toEqual([ORDERS]);
    expect(out.commits).toEqual({ 'refs/heads/main': main });
    expect(typeof owner).toBe('string');
    expect(out.events).toEqual([
      { type: 'quality.recorded', actor: ACTOR.email, at: AT, commit: main },
      { type: 'quality.failed', actor: ACTOR.email, at: AT, commit: main, asset: ORDERS, team: owner },
    ]);
  });

  it('the same invocation again writes nothing and has no events', async () => {
    const out = await record(registry, prepared());
    expect(out.result.action).toBe('already-recorded');
    expect(out.events).toEqual([]);
    expect(out.commits).toEqual({});
  });

  it('a run where every test passes has no quality.failed', async () => {
    const rr = demoJson('run_results.json') as any;
    rr.metadata.invocation_id = '00000001-0000-4000-8000-000000010001';
    for (const r of rr.results) if (r.status === 'fail') Object.assign(r, { status: 'pass', failures: 0 });
    const out = await record(registry, prepared(rr));
    expect(out.events.map((e) => e.type)).toEqual(['quality.recorded']);
  });

  it('a run with results but no invocation id is refused before the registry is touched', () => {
    const rr = demoJson('run_results.json') as any;
    delete rr.metadata.invocation_id;
    expect(() => prepared(rr)).toThrow(/metadata\.invocation_id is missing/);
  });
});

/**
 * record-results, "what it must show" 3: the 20 passing tests of the
 * jaffle-shop v12 `dbt build` land on the right assets and guarantees, in one
 * commit; recording the same invocation again writes nothing; a docs-generate
 * run_results carries no outcome and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, refState, tempDir, type Machine } from '../helpers/machines.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { planFromManifest } from '../../src/dbt/plan.js';
import { fixtureManifest } from '../dbt/helpers.js';
import { freshRegistry, registryFiles, runJson } from './helpers.js';

afterAll(cleanupTempDirs);

const dir = (name: string, file: string) => sharedPath('fixtures', 'dbt', name, file);

describe.skipIf(!sharedAvailable('fixtures', 'dbt', 'jaffle-shop-v12-build'))('record-results', () => {
  let registry: string;
  let ci: Machine;
  const manifest = dir('jaffle-shop-v12-build', 'manifest.json');
  const results = dir('jaffle-shop-v12-build', 'run_results.json');

  beforeAll(async () => {
    ({ registry, ci } = await freshRegistry(tempDir('tessera-quality-')));
    await runJson(ci, ['sync-dbt', manifest, '--owner-default', 'shop']);
  });

  it('records the 20 passing tests against the right assets and guarantees, in one commit', async () => {
    const out = await runJson(ci, ['record-results', results, '--manifest', manifest]);
    expect(out).toMatchObject({ action: 'recorded', recorded: 20, invocation_id: 'cfbc1db9-66c1-46c2-a94b-8c0cef32314f', unknown_assets: [] });
    // Expected mapping from the planner: the guarantee whose source is the test's unique_id.
    const plan = planFromManifest(fixtureManifest('jaffle-shop-v12-build'));
    const bySource = new Map(plan.assets.flatMap((a) => a.guarantees.filter((g) => g.source?.startsWith('test.')).map((g) => [g.source!, { asset: a.id, kind: g.kind, column: g.column }] as const)));
    expect(bySource.size).toBe(20);
    for (const e of out.events) {
      expect(e.status).toBe('pass');
      expect(e.failures).toBe(0);
      expect(typeof e.execution_time).toBe('number');
      const want = bySource.get(e.test)!;
      expect({ asset: e.asset, kind: e.guarantee.kind, column: e.guarantee.column }).toEqual(want);
    }
    expect(new Set(out.events.map((e: any) => e.test)).size).toBe(20);

    const log = await runJson(ci, ['log']);
    expect(log.events[0]).toMatchObject({ event: 'quality.recorded', commit: out.commit });
    expect(log.events[0].trailers['Tessera-Invocation']).toEqual(['cfbc1db9-66c1-46c2-a94b-8c0cef32314f']);
    expect([...log.events[0].assets].sort()).toEqual([...new Set(out.events.map((e: any) => e.asset))].sort());

    const run = (await registryFiles(registry, 'quality/')).get('quality/runs/cfbc1db9-66c1-46c2-a94b-8c0cef32314f.yaml');
    expect(run).toMatchObject({ invocation_id: 'cfbc1db9-66c1-46c2-a94b-8c0cef32314f', recorded_by: 'ci-bot@acme.com', dbt_version: '1.9.0', command: 'build' });
    expect(run.events).toHaveLength(20);
  });

  it('show and log --event quality read the recorded results', async () => {
    const orders = 'your-project.jaffle_shop.orders';
    const shown = await runJson(ci, ['show', orders]);
    expect(shown.quality).toHaveLength(10);
    expect(shown.quality.every((r: any) => r.status === 'pass')).toBe(true);
    expect(shown.quality.map((r: any) => `${r.guarantee.kind}(${r.guarantee.column})`)).toContain('unique(order_id)');
    const text = await ci.run(['show', orders]);
    expect(text.stdout).toMatch(/Quality/);
    expect(text.stdout).toMatch(/pass\s+unique\(order_id\)/);

    const all = await runJson(ci, ['log', '--event', 'quality']);
    expect(all.count).toBe(20);
    const one = await runJson(ci, ['log', '--event', 'quality', '--asset', orders]);
    expect(one.count).toBe(10);
    expect(one.events.every((e: any) => e.asset === orders && e.event === 'quality.recorded')).toBe(true);
  });

  it('recording the same invocation twice writes nothing', async () => {
    const before = await refState(registry);
    const again = await runJson(ci, ['record-results', results, '--manifest', manifest]);
    expect(again.action).toBe('already-recorded');
    expect(await refState(registry)).toBe(before);
  });

  it.skipIf(!sharedAvailable('fixtures', 'dbt', 'bouncer-v12'))('docs generate results carry no outcome: exit 0, nothing written', async () => {
    const before = await refState(registry);
    const r = await ci.run(['record-results', dir('bouncer-v12', 'run_results.json'), '--manifest', dir('bouncer-v12', 'manifest.json')]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no test outcome/);
    expect(await refState(registry)).toBe(before);
  });
});

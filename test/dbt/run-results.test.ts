/** run_results.json -> quality events. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { qualityEventSchema } from '../../src/core/quality.js';
import { parseManifest } from '../../src/dbt/manifest.js';
import { planFromManifest } from '../../src/dbt/plan.js';
import { qualityEventsFromRunResults } from '../../src/dbt/run-results.js';
import { sharedAvailable } from '../helpers/shared.js';
import { demoJson, fixtureJson, fixtureManifest, type FixtureName } from './helpers.js';

function eventsFor(name: FixtureName, options = {}) {
  const m = fixtureManifest(name);
  return qualityEventsFromRunResults(fixtureJson(name, 'run_results.json'), m, planFromManifest(m, options));
}

describe.skipIf(!sharedAvailable('fixtures', 'dbt'))('qualityEventsFromRunResults on the shared fixtures', () => {
  it('jaffle-shop-v12-build: exactly the 20 passing tests, on the right assets and guarantees', () => {
    const r = eventsFor('jaffle-shop-v12-build');
    expect(r.noOutcome).toBe(false);
    expect(r.unmatched).toEqual([]);
    // 36 models, 3 seeds, 2 operations.
    expect(r.skippedNonTests).toBe(41);
    expect(r.events).toHaveLength(20);
    expect(r.events.every((e) => e.status === 'pass' && e.failures === 0)).toBe(true);
    expect(r.events.every((e) => e.invocation_id === 'cfbc1db9-66c1-46c2-a94b-8c0cef32314f')).toBe(true);
    for (const e of r.events) expect(qualityEventSchema.safeParse(e).success).toBe(true);
    const perAsset: Record<string, number> = {};
    for (const e of r.events) perAsset[e.asset] = (perAsset[e.asset] ?? 0) + 1;
    expect(perAsset).toEqual({
      'your-project.jaffle_shop.customers': 2,
      'your-project.jaffle_shop.orders': 10,
      'your-project.jaffle_shop.stg_customers': 2,
      'your-project.jaffle_shop.stg_orders': 3,
      'your-project.jaffle_shop.stg_payments': 3,
    });
    expect(r.events).toContainEqual({
      asset: 'your-project.jaffle_shop.stg_orders',
      guarantee: { kind: 'not_null', column: 'order_id' },
      test: 'test.jaffle_shop.not_null_stg_orders_order_id.81cfe2fe64',
      status: 'pass',
      failures: 0,
      invocation_id: 'cfbc1db9-66c1-46c2-a94b-8c0cef32314f',
      executed_at: expect.stringMatching(/^2024-12-16T07:45:\d\d\.\d+Z$/),
      execution_time: expect.any(Number),
    });
    const rel = r.events.find((e) => e.guarantee.kind === 'relationships');
    expect(rel).toMatchObject({ asset: 'your-project.jaffle_shop.orders', guarantee: { column: 'customer_id' } });
  });

  it('a test outside the planned selection is reported as unmatched, not dropped silently', () => {
    const r = eventsFor('jaffle-shop-v12-build', { select: ['*.orders'] });
    expect(r.events).toHaveLength(10);
    expect(r.unmatched).toHaveLength(10);
  });

  it.each(['tuva-v8', 'bouncer-v11', 'bouncer-v12'] as const)('%s: a docs generate run carries no outcome', (name) => {
    const r = eventsFor(name);
    expect(r.noOutcome).toBe(true);
    expect(r.events).toEqual([]);
    expect(r.unmatched).toEqual([]);
  });

  it('a compile run whose tests say "success" has no outcome even without args.which', () => {
    const m = fixtureManifest('jaffle-shop-v12-build');
    const rr = fixtureJson('jaffle-shop-v12-build', 'run_results.json') as { results: Array<{ status: string }>; args?: unknown };
    const compiled = { ...rr, args: {}, results: rr.results.map((x) => ({ ...x, status: 'success' })) };
    const r = qualityEventsFromRunResults(compiled, m, planFromManifest(m));
    expect(r).toMatchObject({ noOutcome: true, events: [] });
  });

  it('refuses a manifest passed as run_results, and garbage', () => {
    const m = fixtureManifest('jaffle-shop-v12-build');
    const plan = planFromManifest(m);
    const call = (x: unknown) => () => qualityEventsFromRunResults(x, m, plan);
    expect(call(fixtureJson('jaffle-shop-v12-build'))).toThrow(/this is a dbt manifest file/);
    expect(call({ metadata: {}, nodes: {} })).toThrow(/looks like manifest\.json/);
    expect(call(null)).toThrow(InputError);
    expect(call('x')).toThrow(InputError);
    expect(call({ metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v3.json' }, results: [] })).toThrow(/v3 is too old/);
  });
});

describe('qualityEventsFromRunResults on the demo build', () => {
  it('maps the passes and the one failure', () => {
    const m = parseManifest(demoJson('manifest.json'));
    const r = qualityEventsFromRunResults(demoJson('run_results.json'), m, planFromManifest(m));
    expect(r.noOutcome).toBe(false);
    expect(r.unmatched).toEqual([]);
    expect(r.events).toHaveLength(13);
    const failed = r.events.filter((e) => e.status !== 'pass');
    expect(failed).toEqual([
      expect.objectContaining({
        asset: 'analytics.marts.orders',
        guarantee: { kind: 'accepted_values', column: 'status' },
        status: 'fail',
        failures: 3,
        message: 'Got 3 results, configured to fail if != 0',
      }),
    ]);
  });
});

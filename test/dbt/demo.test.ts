/** The demo project in fixtures/dbt-demo and the generator that writes it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/dbt/manifest.js';
import { planFromManifest } from '../../src/dbt/plan.js';
import { DEMO_DIR, demoJson } from './helpers.js';

const GEN = fileURLToPath(new URL('../../bench/gen-manifest.mjs', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'tessera-dbt-demo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function gen(...args: string[]): void {
  execFileSync(process.execPath, [GEN, ...args], { stdio: 'pipe' });
}

describe('fixtures/dbt-demo', () => {
  const plan = planFromManifest(parseManifest(demoJson('manifest.json')));
  const byName = (n: string) => {
    const a = plan.assets.find((x) => x.name === n);
    if (!a) throw new Error(n);
    return a;
  };

  it('is what bench/gen-manifest.mjs writes, byte for byte', () => {
    gen('--demo', '--out', path.join(work, 'manifest.json'), '--run-results-out', path.join(work, 'run_results.json'));
    gen('--demo', '--breaking', '--out', path.join(work, 'manifest-breaking.json'));
    for (const f of ['manifest.json', 'run_results.json', 'manifest-breaking.json']) {
      expect(readFileSync(path.join(work, f), 'utf8'), f).toBe(readFileSync(path.join(DEMO_DIR, f), 'utf8'));
    }
  });

  it('has 6 models, 1 source and 1 seed owned by 3 teams, without warnings', () => {
    expect(plan.manifest).toEqual({ schemaVersion: 12, dbtVersion: '1.9.1', projectName: 'shop', invocationId: expect.any(String), adapter: 'postgres' });
    expect(plan.assets.map((a) => `${a.kind}:${a.id}:${a.owner}`)).toEqual([
      'model:analytics.marts.customers:commerce',
      'model:analytics.marts.orders:commerce',
      'model:analytics.marts.payments:payments',
      'seed:analytics.seeds.payment_methods:payments',
      'model:analytics.staging.stg_customers:commerce',
      'model:analytics.staging.stg_orders:commerce',
      'model:analytics.staging.stg_payments:payments',
      'source:raw.shop_app.orders:commerce',
    ]);
    expect(plan.teams).toEqual([
      { name: 'commerce', members: ['commerce-lead@example.com'], contact: 'commerce@example.com', origin: 'group group.shop.commerce' },
      { name: 'finance', members: ['finance@example.com'], origin: 'exposure exposure.shop.revenue_dashboard' },
      { name: 'payments', members: [], origin: 'meta.owner of model.shop.payments' },
    ]);
    expect(plan.warnings).toEqual([]);
    expect(plan.assets.every((a) => a.columns.typed === a.columns.total)).toBe(true);
  });

  it('registers the exposure team, the cross-team ref and meta.tessera.consumers', () => {
    expect(byName('orders').consumers).toEqual(['finance', 'payments']);
    expect(byName('payments').consumers).toEqual(['finance']);
    expect(byName('customers').consumers).toEqual(['finance', 'payments']);
    expect(byName('orders').downstream).toEqual(['analytics.marts.payments']);
  });

  it('carries tests, constraints and freshness as guarantees', () => {
    const kinds = plan.assets.flatMap((a) => a.guarantees.map((g) => g.kind)).sort();
    expect(kinds).toEqual([
      'accepted_values', 'accepted_values', 'accepted_values', 'contract', 'freshness',
      'not_null', 'not_null', 'not_null', 'not_null', 'not_null', 'primary_key',
      'relationships', 'relationships', 'unique', 'unique', 'unique', 'unique',
    ]);
    expect(byName('orders').schema['required']).toEqual(['customer_id', 'order_id']);
    expect(byName('payment_methods').schema['properties']).toEqual({
      active: { type: 'boolean', 'x-physical-type': 'boolean' },
      code: { type: 'string', maxLength: 20, 'x-physical-type': 'varchar' },
      label: { type: 'string', maxLength: 100, 'x-physical-type': 'varchar' },
    });
  });

  it('manifest-breaking.json drops customers.email and changes orders.customer_id to text', () => {
    const broken = planFromManifest(parseManifest(demoJson('manifest-breaking.json')));
    const props = (p: typeof plan, n: string) => p.assets.find((a) => a.name === n)?.schema['properties'] as Record<string, unknown>;
    expect(Object.keys(props(plan, 'customers'))).toContain('email');
    expect(Object.keys(props(broken, 'customers'))).not.toContain('email');
    expect(props(plan, 'orders')['customer_id']).toMatchObject({ type: 'integer' });
    expect(props(broken, 'orders')['customer_id']).toMatchObject({ type: 'string', maxLength: 36 });
    const changed = broken.assets.filter((a, i) => JSON.stringify(a.schema) !== JSON.stringify(plan.assets[i]?.schema)).map((a) => a.name);
    expect(changed).toEqual(['customers', 'orders']);
  });
});

describe('bench/gen-manifest.mjs generated manifests', () => {
  it('are reproducible and plan to the size asked for', () => {
    const a = path.join(work, 'a.json');
    const b = path.join(work, 'b.json');
    gen('--models', '200', '--columns', '30', '--out', a);
    gen('--models', '200', '--columns', '30', '--out', b);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    const p = planFromManifest(parseManifest(JSON.parse(readFileSync(a, 'utf8'))), { ownerDefault: 'data-platform' });
    const kinds: Record<string, number> = {};
    for (const x of p.assets) kinds[x.kind] = (kinds[x.kind] ?? 0) + 1;
    expect(kinds).toEqual({ model: 200, seed: 1, source: 10 });
    expect(p.assets.filter((x) => x.kind === 'model').every((x) => x.columns.total === 30 && x.columns.typed === 30)).toBe(true);
    expect(p.assets.reduce((n, x) => n + x.consumers.length, 0)).toBeGreaterThan(0);
    expect(p.warnings).toEqual([]);
  });

  it('--change-percent changes that share of models, chosen by --seed', () => {
    const base = path.join(work, 'base.json');
    const changed = path.join(work, 'changed.json');
    gen('--models', '200', '--columns', '10', '--out', base);
    gen('--models', '200', '--columns', '10', '--out', changed, '--change-percent', '10', '--seed', '3');
    const p0 = planFromManifest(parseManifest(JSON.parse(readFileSync(base, 'utf8'))));
    const p1 = planFromManifest(parseManifest(JSON.parse(readFileSync(changed, 'utf8'))));
    const diff = p1.assets.filter((x, i) => JSON.stringify(x.schema) !== JSON.stringify(p0.assets[i]?.schema));
    expect(diff).toHaveLength(20);
  });
});

/**
 * The planner on six real manifests (dbt 1.0 to 1.10). The counts below were
 * computed once, cross-checked against the fixture README and an independent
 * count over the raw JSON (enabled model/seed/snapshot nodes plus sources;
 * documented columns plus seed column_types), then pinned.
 */
import { describe, expect, it } from 'vitest';
import { sharedAvailable } from '../helpers/shared.js';
import { parseManifest } from '../../src/dbt/manifest.js';
import { planFromManifest, type DbtPlan } from '../../src/dbt/plan.js';
import { assetId, guaranteeSchema, teamName } from '../../src/core/model.js';
import { asset, FIXTURES, fixtureJson, fixtureManifest, type FixtureName } from './helpers.js';

interface Summary {
  kinds: Record<string, number>;
  columns: number;
  typed: number;
  guarantees: Record<string, number>;
  owned: number;
  consumers: number;
  teams: number;
  required: number;
  contracts: number;
}

function summarize(plan: DbtPlan): Summary {
  const kinds: Record<string, number> = {};
  const guarantees: Record<string, number> = {};
  let columns = 0, typed = 0, owned = 0, consumers = 0, required = 0, contracts = 0;
  for (const a of plan.assets) {
    kinds[a.kind] = (kinds[a.kind] ?? 0) + 1;
    columns += a.columns.total;
    typed += a.columns.typed;
    if (a.owner) owned++;
    consumers += a.consumers.length;
    required += ((a.schema['required'] as string[] | undefined) ?? []).length;
    if (a.contractEnforced) contracts++;
    for (const g of a.guarantees) guarantees[g.kind] = (guarantees[g.kind] ?? 0) + 1;
  }
  return { kinds, columns, typed, guarantees, owned, consumers, teams: plan.teams.length, required, contracts };
}

const EXPECTED: Record<FixtureName, Summary> = {
  'jaffle-shop-v4': {
    kinds: { model: 5, seed: 3 },
    columns: 14,
    typed: 0,
    // 20 tests, 2 of them on the disabled `customers` model (disabled themselves).
    guarantees: { accepted_values: 3, not_null: 10, relationships: 1, unique: 4 },
    owned: 0,
    consumers: 0,
    teams: 0,
    required: 10,
    contracts: 0,
  },
  'tuva-v8': {
    kinds: { model: 307, seed: 77 },
    // 1,678 documented columns + 455 seed columns known only from config.column_types.
    columns: 2133,
    // 173 data_types + 457 column_types.
    typed: 630,
    guarantees: { accepted_values: 3, claims_preprocessing_pipeline_checks: 1, not_null: 38, unique: 15 },
    owned: 0,
    consumers: 0,
    teams: 0,
    required: 29,
    contracts: 0,
  },
  'dbt-docs-mesh-v9': {
    kinds: { model: 11, seed: 3, source: 2 },
    columns: 30,
    typed: 0,
    guarantees: { accepted_values: 3, not_null: 12, relationships: 2, singular: 2, unique: 6 },
    // 10 models of group `jaffle` + stg_payments (meta.owner @drew).
    owned: 11,
    // 4 exposure registrations + jaffle reading drew's stg_payments.
    consumers: 5,
    teams: 5,
    required: 12,
    contracts: 0,
  },
  'bouncer-v11': {
    kinds: { model: 31, seed: 3, snapshot: 2, source: 11 },
    columns: 594,
    typed: 26,
    guarantees: {
      accepted_values: 3,
      contract: 3,
      'dbt_expectations.expect_compound_columns_to_be_unique': 2,
      'dbt_utils.unique_combination_of_columns': 12,
      freshness: 7,
      not_null: 38,
      primary_key: 3,
      relationships: 1,
      unique: 9,
      values_below_threshold: 1,
    },
    owned: 3,
    consumers: 3,
    teams: 5,
    required: 38,
    contracts: 3,
  },
  'jaffle-shop-v12-build': {
    kinds: { model: 36, seed: 3 },
    columns: 191,
    typed: 164,
    guarantees: { accepted_values: 3, not_null: 11, relationships: 1, unique: 5 },
    owned: 0,
    consumers: 0,
    teams: 0,
    required: 11,
    contracts: 0,
  },
  'bouncer-v12': {
    kinds: { model: 39, seed: 3, snapshot: 2, source: 13 },
    columns: 730,
    typed: 46,
    guarantees: {
      accepted_values: 3,
      contract: 4,
      'dbt_expectations.expect_compound_columns_to_be_unique': 2,
      freshness: 13,
      not_null: 45,
      primary_key: 4,
      relationships: 1,
      unique: 12,
      values_below_threshold: 1,
    },
    // 3 seeds + 2 snapshots (meta.owner "Data Team") + 3 sources (Chris, Anna, Annabelle).
    owned: 8,
    // Exposures owned by "Finance" read customers.v3 and orders.
    consumers: 2,
    teams: 5,
    required: 44,
    contracts: 4,
  },
};

describe.skipIf(!sharedAvailable('fixtures', 'dbt'))('planFromManifest on the shared dbt fixtures', () => {
  for (const name of FIXTURES) {
    describe(name, () => {
      it('plans the pinned counts', () => {
        expect(summarize(planFromManifest(fixtureManifest(name)))).toEqual(EXPECTED[name]);
      });

      it('is deterministic, also when the manifest lists its entries in another order', () => {
        const a = JSON.stringify(planFromManifest(fixtureManifest(name)));
        const b = JSON.stringify(planFromManifest(parseManifest(fixtureJson(name))));
        expect(b).toBe(a);
        const raw = fixtureJson(name) as Record<string, Record<string, unknown>>;
        const reversed = { ...raw };
        for (const key of ['nodes', 'sources', 'exposures', 'groups', 'child_map']) {
          const section = raw[key];
          if (section) reversed[key] = Object.fromEntries(Object.entries(section).reverse());
        }
        expect(JSON.stringify(planFromManifest(parseManifest(reversed)))).toBe(a);
      });

      it('gives valid asset ids, team names and guarantees', () => {
        const plan = planFromManifest(fixtureManifest(name), { ownerDefault: 'data-platform' });
        const ids = plan.assets.map((a) => a.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const a of plan.assets) {
          expect(assetId.safeParse(a.id).success, a.id).toBe(true);
          expect(a.owner).toBeDefined();
          for (const t of [a.owner, ...a.consumers]) expect(teamName.safeParse(t).success, t).toBe(true);
          expect(a.consumers).not.toContain(a.owner);
          for (const g of a.guarantees) expect(guaranteeSchema.safeParse(g).success).toBe(true);
          expect(a.schema['type']).toBe('object');
          expect(a.schema).not.toHaveProperty('additionalProperties');
          for (const d of a.downstream) expect(ids).toContain(d);
        }
        for (const t of plan.teams) expect(teamName.safeParse(t.name).success).toBe(true);
      });
    });
  }

  it('jaffle-shop-v4: attaches tests without attached_node through depends_on and file_key_name', () => {
    const raw = fixtureJson('jaffle-shop-v4') as { nodes: Record<string, { resource_type: string; attached_node?: unknown }> };
    expect(Object.values(raw.nodes).some((n) => n.resource_type === 'test' && n.attached_node !== undefined)).toBe(false);
    const plan = planFromManifest(fixtureManifest('jaffle-shop-v4'));
    const orders = asset(plan, 'model.jaffle_shop.orders');
    expect(orders.id).toBe('your-gcp-project.jaffle_shop.orders');
    // relationships depends on orders AND the disabled customers model: file_key_name picks orders.
    const rel = orders.guarantees.find((g) => g.kind === 'relationships');
    expect(rel).toMatchObject({ column: 'customer_id', to: "ref('customers')", field: 'customer_id', severity: 'error' });
    expect(orders.schema['properties']).toMatchObject({ status: { enum: ['placed', 'shipped', 'completed', 'return_pending', 'returned'] } });
    expect(plan.assets.map((a) => a.uniqueId)).not.toContain('model.jaffle_shop.customers');
  });

  it('tuva-v8: seeds take their types from config.column_types', () => {
    const plan = planFromManifest(fixtureManifest('tuva-v8'));
    const seed = asset(plan, 'seed.input_layer.eligibility_seed');
    expect(seed.columns).toEqual({ total: 23, typed: 23, untyped: [] });
    expect(seed.schema['properties']).toMatchObject({
      patient_id: { type: 'string', maxLength: 255 },
      birth_date: { type: 'string', format: 'date' },
      death_flag: { type: 'integer' },
    });
    const packages = new Set(plan.assets.map((a) => a.packageName));
    expect([...packages].sort()).toEqual(['input_layer', 'the_tuva_project']);
  });

  it('dbt-docs-mesh-v9: groups, meta.owner, exposures, versions', () => {
    const plan = planFromManifest(fixtureManifest('dbt-docs-mesh-v9'));
    expect(asset(plan, 'model.jaffle_shop.stg_payments').owner).toBe('drew');
    expect(asset(plan, 'model.jaffle_shop.stg_payments').consumers).toEqual(['jaffle']);
    const fct = asset(plan, 'model.jaffle_shop.fct_orders');
    expect(fct.owner).toBe('jaffle');
    expect(fct.consumers).toEqual(['alice-analyst', 'data-science-team']);
    const v1 = asset(plan, 'model.jaffle_shop.dim_customers.v1');
    const v2 = asset(plan, 'model.jaffle_shop.dim_customers.v2');
    expect([v1.version, v1.id, v2.version, v2.id]).toEqual(['1', 'analytics.dbt_jcohen.dim_customers_v1', '2', 'analytics.dbt_jcohen.dim_customers_v2']);
    expect(v2.consumers).toEqual(['alice-analyst', 'data-team']);
    expect(plan.teams.find((t) => t.name === 'jaffle')).toEqual({ name: 'jaffle', members: ['chef@jaffle.shop'], origin: 'group group.jaffle_shop.jaffle' });
    expect(plan.assets.some((a) => a.uniqueId.startsWith('analysis.'))).toBe(false);
    // The two sources read the tables the seeds build: the seeds keep the plain ids.
    expect(asset(plan, 'seed.jaffle_shop.raw_orders').id).toBe('analytics.dbt_jcohen.raw_orders');
    expect(asset(plan, 'source.jaffle_shop.payments.orders').id).toBe('analytics.dbt_jcohen.raw_orders-source');
    expect(plan.warnings.filter((w) => w.includes('names the same relation'))).toHaveLength(2);
  });

  it('bouncer-v11: enforced contracts and model-level primary keys', () => {
    const plan = planFromManifest(fixtureManifest('bouncer-v11'));
    const orders = asset(plan, 'model.dbt_bouncer_test_project.orders');
    expect(orders.contractEnforced).toBe(true);
    expect(orders.guarantees).toContainEqual({ kind: 'primary_key', column: 'order_id', source: 'constraint' });
    expect(orders.guarantees).toContainEqual({ kind: 'contract', source: 'contract' });
    expect(orders.schema['required']).toContain('order_id');
    const combos = plan.assets.flatMap((a) => a.guarantees).filter((g) => g.kind === 'dbt_utils.unique_combination_of_columns');
    expect(combos.every((g) => Array.isArray(g.columns) && g.columns.length > 1)).toBe(true);
  });

  it('jaffle-shop-v12-build: filters by package and by select globs', () => {
    const m = fixtureManifest('jaffle-shop-v12-build');
    expect(planFromManifest(m, { packages: ['jaffle_shop'] }).assets).toHaveLength(9);
    expect(planFromManifest(m, { packages: ['elementary'] }).assets).toHaveLength(30);
    expect(planFromManifest(m, { select: ['elementary:*'] }).assets).toHaveLength(30);
    expect(planFromManifest(m, { select: ['model.jaffle_shop.*'] }).assets).toHaveLength(6);
    expect(planFromManifest(m, { select: ['your-project.jaffle_shop.stg_*'] }).assets.map((a) => a.name)).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
    const orders = asset(planFromManifest(m), 'model.jaffle_shop.orders');
    expect(orders.downstream).toEqual(['your-project.jaffle_shop.daily_orders']);
    expect(asset(planFromManifest(m), 'model.jaffle_shop.stg_orders').downstream).toEqual(['your-project.jaffle_shop.customers', 'your-project.jaffle_shop.orders']);
  });

  it('bouncer-v12: DuckDB types, source tests and freshness, exposure meta.owner', () => {
    const plan = planFromManifest(fixtureManifest('bouncer-v12'));
    const orders = asset(plan, 'model.dbt_bouncer_test_project.orders');
    expect(orders.schema['properties']).toMatchObject({
      order_id_pk: { type: 'integer' },
      order_date: { type: 'string', format: 'date' },
      amount: { type: 'number' },
      status: { type: 'string', enum: ['placed', 'shipped', 'completed', 'return_pending', 'returned'] },
    });
    expect(orders.consumers).toEqual(['finance']);
    expect(asset(plan, 'model.dbt_bouncer_test_project.customers.v3').consumers).toEqual(['finance']);
    const varying = plan.assets.flatMap((a) => Object.values(a.schema['properties'] as Record<string, { maxLength?: number }>)).filter((p) => p.maxLength === 256);
    expect(varying).toHaveLength(4);
    const src = asset(plan, 'source.dbt_bouncer_test_project.dummy_source.customers');
    expect(src.owner).toBe('chris');
    expect(src.guarantees).toContainEqual({
      kind: 'freshness',
      field: 'doesnt_exist',
      config: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 24, period: 'hour' } },
      source: 'freshness',
    });
    // attached_node is null on this source test: depends_on gives the source.
    expect(src.guarantees.some((g) => g.kind === 'not_null' && g.column === 'id')).toBe(true);
    expect(plan.teams.find((t) => t.name === 'chris')?.contact).toBe('chris@email.com');
  });

  it('with ownerDefault, unowned assets fall to the default team and cross-owner refs register it', () => {
    const plan = planFromManifest(fixtureManifest('dbt-docs-mesh-v9'), { ownerDefault: 'Data Platform' });
    expect(plan.assets.every((a) => a.owner !== undefined)).toBe(true);
    expect(asset(plan, 'seed.jaffle_shop.raw_orders').owner).toBe('data-platform');
    // jaffle's staging models read the default team's seeds.
    expect(asset(plan, 'seed.jaffle_shop.raw_payments').consumers).toContain('drew');
    expect(() => planFromManifest(fixtureManifest('dbt-docs-mesh-v9'), { ownerDefault: '@@@' })).toThrow(/not a usable team name/);
  });
});

/**
 * Issue 16, "what it must show" 3: on the jaffle-shop style fixture
 * (fixtures/dbt-scoped), growth's customer_ltv selects two columns of core's
 * stg_orders and is required only for changes to those two; finance's
 * `select *` model and ops' model whose SQL the parser cannot read are
 * required for every change. The sync report says who and why.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, tempDir } from '../helpers/machines.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { freshRegistry, registryFiles, runJson, type Reg } from '../sync/helpers.js';
import { upstreamColumns } from '../../src/dbt/lineage.js';

afterAll(cleanupTempDirs);

const FIXTURE = path.join(PROJECT_ROOT, 'fixtures/dbt-scoped');
const manifest = (name: string) => path.join(FIXTURE, name);
const ORDERS = 'jaffle.main.stg_orders';

let reg: Reg;

beforeEach(async () => {
  reg = await freshRegistry(tempDir());
  await runJson(reg.ci, ['sync-dbt', manifest('manifest.json')]);
});

describe('dbt lineage scopes', () => {
  it('registers each downstream team with the columns its SQL selects, or every field', async () => {
    const files = await registryFiles(reg.registry);
    const consumer = (asset: string, team: string) => files.get(`assets/${asset}/consumers/${team}.yaml`);
    expect(consumer(ORDERS, 'growth').fields).toEqual(['amount', 'customer_id']);
    expect(consumer(ORDERS, 'growth').purpose).toMatch(/the columns model\.jaffle\.customer_ltv selects \(raw_code\): amount, customer_id/);
    expect(consumer(ORDERS, 'finance').fields).toBeUndefined();
    expect(consumer(ORDERS, 'finance').purpose).toMatch(/every field: model\.jaffle\.order_log selects \* from the upstream model/);
    expect(consumer(ORDERS, 'ops').fields).toBeUndefined();
    expect(consumer(ORDERS, 'ops').purpose).toMatch(/every field: model\.jaffle\.order_flags has Jinja other than ref\(\)/);
    // jaffle's own style: select * passed through a CTE, then named columns.
    expect(consumer('jaffle.main.stg_customers', 'growth').fields).toEqual(['customer_id', 'first_name', 'last_name']);
    // An exposure's meta.tessera.fields.
    expect(consumer('jaffle.main.stg_customers', 'marketing').fields).toEqual(['customer_id', 'email']);
    expect(consumer('jaffle.main.stg_customers', 'marketing').purpose).toMatch(/fields: meta\.tessera\.fields of exposure exposure\.jaffle\.newsletter/);
  });

  it('a change to a column growth does not select informs growth; the report says who and why', async () => {
    const report = await runJson(reg.ci, ['sync-dbt', manifest('manifest-drop-status.json')], 1);
    const waiting = report.proposals_waiting.find((p: any) => p.asset === ORDERS);
    expect(waiting).toMatchObject({ required_teams: ['finance', 'ops'], informed_teams: ['growth'] });
    expect(waiting.scopes.find((t: any) => t.team === 'growth').reason).toBe('no action needed: you declared fields amount, customer_id; the change touches status');
    const text = await reg.ci.run(['sync-dbt', manifest('manifest-drop-status.json'), '--dry-run']);
    expect(text.stdout).toMatch(/required: finance \(declared no fields: every change concerns it\); ops \(declared no fields: every change concerns it\)/);
    expect(text.stdout).toMatch(/informed: growth \(no action needed: you declared fields amount, customer_id; the change touches status\)/);
  });

  it('a change to a column growth selects requires growth too', async () => {
    const report = await runJson(reg.ci, ['sync-dbt', manifest('manifest-amount-text.json')], 1);
    const waiting = report.proposals_waiting.find((p: any) => p.asset === ORDERS);
    expect(waiting).toMatchObject({ required_teams: ['finance', 'growth', 'ops'], informed_teams: [] });
  });
});

describe('a change no declared fields meet', () => {
  it('is proposed with every consumer informed, and the next sync of main merges it', async () => {
    const CUSTOMERS = 'jaffle.main.stg_customers';
    // Nobody to wait for: a warning, not a breaking finding, so the run does not fail.
    const first = await runJson(reg.ci, ['sync-dbt', manifest('manifest-drop-phone.json')]);
    expect(first.findings.find((f: any) => f.asset === CUSTOMERS && f.rule === 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL')).toMatchObject({ severity: 'warning' });
    const waiting = first.proposals_waiting.find((p: any) => p.asset === CUSTOMERS);
    expect(waiting).toMatchObject({ required_teams: [], informed_teams: ['growth', 'marketing'], missing: [], approved: true });
    await runJson(reg.ci, ['sync-dbt', manifest('manifest-drop-phone.json')]);
    const files = await registryFiles(reg.registry);
    expect(files.get(`assets/${CUSTOMERS}/asset.yaml`).current_version).toBe('2.0.0');
    expect(files.get(`proposals/${waiting.id}.yaml`) ?? (await registryFiles(reg.registry, 'proposals/')).get(`proposals/${waiting.id}.yaml`)).toMatchObject({ status: 'merged', required_teams: [], informed_teams: ['growth', 'marketing'] });
  });
});

describe('lineage of one model', () => {
  const up = { name: 'stg_orders', identifier: 'stg_orders' };
  const raw = (sql: string) => upstreamColumns(sql, up, { compiled: false });
  it('reads named columns through CTEs, joins, WHERE, subqueries and compiled relation names', () => {
    expect(raw("select customer_id, sum(amount) as total from {{ ref('stg_orders') }} where status = 'x' group by 1 order by total")).toEqual({ columns: ['amount', 'customer_id', 'status'] });
    expect(raw("select o.order_id, c.name from {{ ref('stg_orders') }} o join {{ ref('stg_customers') }} c on o.customer_id = c.id")).toEqual({ columns: ['customer_id', 'order_id'] });
    expect(raw("select n from (select count(order_id) as n from {{ ref('stg_orders') }}) t")).toEqual({ columns: ['order_id'] });
    expect(upstreamColumns('select "order_id" from "jaffle"."main"."stg_orders"', up, { compiled: true, adapter: 'duckdb' })).toEqual({ columns: ['order_id'] });
  });
  it('falls back to every field on select *, t.*, other Jinja, unparseable SQL and ambiguous columns', () => {
    for (const sql of [
      "select * from {{ ref('stg_orders') }}",
      "select o.*, c.id from {{ ref('stg_orders') }} o join {{ ref('stg_customers') }} c on o.customer_id = c.id",
      "{% set x = 1 %} select order_id from {{ ref('stg_orders') }}",
      "select order_id from {{ ref('stg_orders') }} where {{ var('cutoff') }}",
      "selec order_id frm {{ ref('stg_orders') }}",
      "select order_id, id from {{ ref('stg_orders') }} o join {{ ref('stg_customers') }} c on o.customer_id = c.id",
    ]) expect(raw(sql), sql).toMatchObject({ all: true });
  });
});

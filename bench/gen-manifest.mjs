#!/usr/bin/env node
/**
 * Writes dbt artifacts (manifest v12, run_results v6) for demos and benchmarks.
 *
 *   node bench/gen-manifest.mjs --demo --out fixtures/dbt-demo/manifest.json \
 *        [--run-results-out fixtures/dbt-demo/run_results.json]
 *   node bench/gen-manifest.mjs --demo --breaking --out fixtures/dbt-demo/manifest-breaking.json
 *   node bench/gen-manifest.mjs --models 10000 --columns 30 --out /tmp/m.json \
 *        [--change-percent 5 --seed 7] [--run-results-out /tmp/rr.json]
 *
 * Output is a pure function of the flags (no clock, no Math.random), so the
 * committed demo files regenerate byte-identically. A generated manifest at
 * --models N has the same base for every --seed; --change-percent P then drops
 * a column, changes a type or adds a column on P% of the models, chosen by
 * --seed, so a base/changed pair measures a sync with a known change set.
 * Big manifests are generated on the fly by benchmarks, never committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rng } from './lib/rng.mjs';

const SCHEMA_V12 = 'https://schemas.getdbt.com/dbt/manifest/v12.json';
const RUN_RESULTS_V6 = 'https://schemas.getdbt.com/dbt/run-results/v6.json';
const GENERATED_AT = '2025-01-15T09:30:00.000000Z';

function parseArgs(argv) {
  const out = { models: 100, columns: 30, demo: false, breaking: false, changePercent: 0, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--models') out.models = int(next(), a);
    else if (a === '--columns') out.columns = int(next(), a);
    else if (a === '--out') out.out = next();
    else if (a === '--run-results-out') out.runResultsOut = next();
    else if (a === '--demo') out.demo = true;
    else if (a === '--breaking') out.breaking = true;
    else if (a === '--change-percent') out.changePercent = Number(next());
    else if (a === '--seed') out.seed = int(next(), a);
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/gen-manifest.mjs --models N --columns C --out FILE [--demo [--breaking]] [--change-percent P --seed S] [--run-results-out FILE]');
      process.exit(0);
    } else fail(`unknown option ${a}`);
  }
  if (!out.out) fail('--out FILE is required');
  if (!(out.changePercent >= 0 && out.changePercent <= 100)) fail('--change-percent must be 0..100');
  if (out.columns < 4) fail('--columns must be at least 4');
  return out;
}

function int(v, name) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(`${name} must be a non-negative integer`);
  return n;
}

function fail(msg) {
  console.error(`gen-manifest: ${msg}`);
  process.exit(2);
}


function uuidFrom(n) {
  const h = (n >>> 0).toString(16).padStart(8, '0');
  return `${h}-0000-4000-8000-${h}${h.slice(0, 4)}`;
}

// ---- node builders (dbt 1.9 / manifest v12 shapes, trimmed to what matters) ----

function column(name, dataType, description = '', constraints = []) {
  return { name, description, meta: {}, data_type: dataType, constraints, quote: null, tags: [], granularity: null, doc_blocks: [] };
}

function columnsOf(list) {
  return Object.fromEntries(list.map((c) => [c.name, c]));
}

function model(pkg, name, { database, schema, columns, deps = [], meta = {}, group = null, description = '', materialized = 'table', contract = false, constraints = [], access = 'protected', tags = [] }) {
  const uid = `model.${pkg}.${name}`;
  return {
    database,
    schema,
    name,
    resource_type: 'model',
    package_name: pkg,
    path: `${name}.sql`,
    original_file_path: `models/${name}.sql`,
    unique_id: uid,
    fqn: [pkg, name],
    alias: name,
    checksum: { name: 'sha256', checksum: '0'.repeat(64) },
    config: {
      enabled: true,
      alias: null,
      schema: null,
      database: null,
      tags,
      meta,
      group,
      materialized,
      contract: { enforced: contract, alias_types: true },
      access,
    },
    tags,
    description,
    columns: columnsOf(columns),
    meta,
    group,
    docs: { show: true, node_color: null },
    patch_path: `${pkg}://models/schema.yml`,
    build_path: null,
    unrendered_config: {},
    created_at: 1736933400,
    relation_name: `"${database}"."${schema}"."${name}"`,
    raw_code: deps.map((d) => `select * from {{ ref('${d.split('.').pop()}') }}`).join('\nunion all\n') || 'select 1 as id',
    language: 'sql',
    refs: deps.filter((d) => d.startsWith('model.') || d.startsWith('seed.')).map((d) => ({ name: d.split('.').pop(), package: null, version: null })),
    sources: [],
    metrics: [],
    depends_on: { macros: [], nodes: deps },
    compiled_path: null,
    contract: { enforced: contract, alias_types: true, checksum: null },
    access,
    constraints,
    version: null,
    latest_version: null,
    deprecation_date: null,
  };
}

function seed(pkg, name, { database, schema, columnTypes, meta = {}, description = '' }) {
  return {
    database,
    schema,
    name,
    resource_type: 'seed',
    package_name: pkg,
    path: `${name}.csv`,
    original_file_path: `seeds/${name}.csv`,
    unique_id: `seed.${pkg}.${name}`,
    fqn: [pkg, name],
    alias: name,
    checksum: { name: 'sha256', checksum: '1'.repeat(64) },
    config: { enabled: true, alias: null, schema: null, database: null, tags: [], meta, materialized: 'seed', column_types: columnTypes, quote_columns: null },
    tags: [],
    description,
    columns: {},
    meta,
    group: null,
    docs: { show: true, node_color: null },
    patch_path: null,
    build_path: null,
    unrendered_config: {},
    created_at: 1736933400,
    relation_name: `"${database}"."${schema}"."${name}"`,
    raw_code: '',
    root_path: '/usr/src/app',
    depends_on: { macros: [] },
  };
}

function source(pkg, sourceName, name, { database, schema, columns, meta = {}, sourceMeta = {}, loadedAt, freshness, description = '' }) {
  return {
    database,
    schema,
    name,
    resource_type: 'source',
    package_name: pkg,
    path: 'models/sources.yml',
    original_file_path: 'models/sources.yml',
    unique_id: `source.${pkg}.${sourceName}.${name}`,
    fqn: [pkg, sourceName, name],
    source_name: sourceName,
    source_description: '',
    loader: '',
    identifier: name,
    quoting: { database: null, schema: null, identifier: null, column: null },
    loaded_at_field: loadedAt,
    freshness: freshness ?? { warn_after: { count: null, period: null }, error_after: { count: null, period: null }, filter: null },
    external: null,
    description,
    columns: columnsOf(columns),
    meta,
    source_meta: sourceMeta,
    tags: [],
    config: { enabled: true, event_time: null },
    patch_path: null,
    unrendered_config: {},
    relation_name: `"${database}"."${schema}"."${name}"`,
    created_at: 1736933400,
  };
}

/** A generic test on `target` (a model, seed or source node). */
function test(pkg, target, kind, columnName, extra = {}, { namespace = null, severity = 'ERROR', otherDeps = [] } = {}) {
  const targetName = target.resource_type === 'source' ? `${target.source_name}_${target.name}` : target.name;
  const suffix = kind === 'accepted_values' ? `__${(extra.values ?? []).join('__')}` : kind === 'relationships' ? `__${extra.field}__ref_${extra.to.match(/'([^']+)'/)?.[1]}_` : '';
  const testName = `${target.resource_type === 'source' ? 'source_' : ''}${kind}_${targetName}_${columnName}${suffix}`;
  const uid = `test.${pkg}.${testName}.${hashHex(testName)}`;
  const modelArg = target.resource_type === 'source' ? `source('${target.source_name}', '${target.name}')` : `ref('${target.name}')`;
  return {
    database: target.database,
    schema: `${target.schema}_dbt_test__audit`,
    name: testName,
    resource_type: 'test',
    package_name: pkg,
    path: `${testName}.sql`,
    original_file_path: target.resource_type === 'source' ? 'models/sources.yml' : 'models/schema.yml',
    unique_id: uid,
    fqn: [pkg, testName],
    alias: testName,
    checksum: { name: 'none', checksum: '' },
    config: { enabled: true, alias: null, schema: 'dbt_test__audit', database: null, tags: [], meta: {}, group: null, materialized: 'test', severity, store_failures: null, where: null, limit: null, fail_calc: 'count(*)', warn_if: '!= 0', error_if: '!= 0' },
    tags: [],
    description: '',
    columns: {},
    meta: {},
    group: null,
    raw_code: `{{ test_${kind}(**_dbt_generic_test_kwargs) }}`,
    language: 'sql',
    refs: [],
    sources: [],
    metrics: [],
    depends_on: { macros: [`macro.dbt.test_${kind}`], nodes: [...otherDeps, target.unique_id] },
    compiled_path: null,
    contract: { enforced: false, alias_types: true, checksum: null },
    column_name: columnName,
    file_key_name: target.resource_type === 'source' ? `sources.${target.source_name}` : `models.${target.name}`,
    attached_node: target.unique_id,
    test_metadata: { name: kind, kwargs: { column_name: columnName, ...extra, model: `{{ get_where_subquery(${modelArg}) }}` }, namespace },
  };
}

function hashHex(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return (h.toString(16).padStart(8, '0') + 'ab').slice(0, 10);
}

function manifestOf({ project, adapter, invocation, nodes, sources, exposures = {}, groups = {} }) {
  const all = { ...nodes, ...sources, ...exposures };
  const parentMap = {};
  const childMap = {};
  for (const id of Object.keys(all)) {
    parentMap[id] = [];
    childMap[id] = [];
  }
  for (const [id, n] of Object.entries(all)) {
    for (const p of n.depends_on?.nodes ?? []) {
      parentMap[id].push(p);
      (childMap[p] ??= []).push(id);
    }
  }
  for (const m of [parentMap, childMap]) for (const k of Object.keys(m)) m[k].sort();
  const groupMap = {};
  for (const [id, n] of Object.entries(nodes)) if (n.group) (groupMap[n.group] ??= []).push(id);
  return {
    metadata: {
      dbt_schema_version: SCHEMA_V12,
      dbt_version: '1.9.1',
      generated_at: GENERATED_AT,
      invocation_id: invocation,
      env: {},
      project_name: project,
      project_id: hashHex(project).padEnd(32, '0'),
      user_id: null,
      send_anonymous_usage_stats: false,
      adapter_type: adapter,
    },
    nodes,
    sources,
    macros: {},
    docs: {},
    exposures,
    metrics: {},
    groups,
    selectors: {},
    disabled: {},
    parent_map: parentMap,
    child_map: childMap,
    group_map: groupMap,
    saved_queries: {},
    semantic_models: {},
    unit_tests: {},
  };
}

function byId(list) {
  return Object.fromEntries(list.map((n) => [n.unique_id, n]));
}

// ---- the demo project ----

/**
 * A small shop: team `commerce` owns orders and customers through the dbt
 * group `commerce`; team `payments` owns payments through meta.owner and reads
 * commerce's orders (a cross-team ref); team `finance` owns the revenue
 * dashboard exposure. One source (with freshness), one seed (column_types).
 */
function demo({ breaking }) {
  const pkg = 'shop';
  const db = 'analytics';
  const src = source(pkg, 'shop_app', 'orders', {
    database: 'raw',
    schema: 'shop_app',
    description: 'Orders as the shop application writes them.',
    columns: [
      column('id', 'bigint', 'Order id.'),
      column('customer_id', 'bigint'),
      column('created_at', 'timestamp with time zone'),
      column('state', 'character varying(20)'),
      column('_loaded_at', 'timestamp'),
    ],
    meta: { owner: 'commerce', contact: { email: 'commerce@example.com', slack: '#commerce' } },
    loadedAt: '_loaded_at',
    freshness: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 24, period: 'hour' }, filter: null },
  });
  const methods = seed(pkg, 'payment_methods', {
    database: db,
    schema: 'seeds',
    description: 'The payment methods we accept.',
    columnTypes: { code: 'varchar(20)', label: 'varchar(100)', active: 'boolean' },
    meta: { owner: '@payments' },
  });
  const commerce = { group: 'commerce' };
  const stgOrders = model(pkg, 'stg_orders', {
    database: db,
    schema: 'staging',
    materialized: 'view',
    description: 'One row per order, cleaned.',
    deps: [src.unique_id],
    ...commerce,
    columns: [
      column('order_id', 'integer', 'Primary key.'),
      column('customer_id', 'integer'),
      column('ordered_at', 'timestamp'),
      column('status', 'varchar(20)', 'placed, shipped, completed or returned.'),
    ],
  });
  const stgCustomers = model(pkg, 'stg_customers', {
    database: db,
    schema: 'staging',
    materialized: 'view',
    ...commerce,
    columns: [column('customer_id', 'integer'), column('email', 'varchar(255)'), column('created_at', 'timestamp_ntz')],
  });
  const orders = model(pkg, 'orders', {
    database: db,
    schema: 'marts',
    description: 'Orders with their amount, one row per order.',
    deps: [stgOrders.unique_id],
    ...commerce,
    access: 'public',
    contract: true,
    constraints: [{ type: 'primary_key', name: null, expression: null, warn_unenforced: true, warn_unsupported: true, to: null, to_columns: [], columns: ['order_id'] }],
    columns: [
      column('order_id', 'integer', 'Primary key.'),
      column('customer_id', breaking ? 'varchar(36)' : 'integer', 'The customer who placed the order.', [
        { type: 'not_null', name: null, expression: null, warn_unenforced: true, warn_unsupported: true, to: null, to_columns: [] },
      ]),
      column('ordered_at', 'timestamp'),
      column('status', 'varchar(20)'),
      column('amount', 'numeric(12,2)', 'Order total in EUR.'),
    ],
  });
  const customers = model(pkg, 'customers', {
    database: db,
    schema: 'marts',
    description: 'One row per customer.',
    deps: [stgCustomers.unique_id, stgOrders.unique_id],
    ...commerce,
    access: 'public',
    meta: { tessera: { consumers: ['payments'] } },
    columns: [
      column('customer_id', 'integer', 'Primary key.'),
      ...(breaking ? [] : [column('email', 'varchar(255)', 'Contact email.')]),
      column('first_order_at', 'date'),
      column('lifetime_value', 'numeric(12,2)'),
      column('is_active', 'boolean'),
    ],
  });
  const payOwner = { meta: { owner: 'payments' } };
  const stgPayments = model(pkg, 'stg_payments', {
    database: db,
    schema: 'staging',
    materialized: 'view',
    deps: [methods.unique_id],
    ...payOwner,
    columns: [
      column('payment_id', 'integer'),
      column('order_id', 'integer'),
      column('method', 'varchar(20)'),
      column('amount', 'numeric(12,2)'),
      column('paid_at', 'timestamptz'),
    ],
  });
  const payments = model(pkg, 'payments', {
    database: db,
    schema: 'marts',
    description: 'Payments joined to their orders.',
    deps: [orders.unique_id, stgPayments.unique_id],
    ...payOwner,
    access: 'public',
    columns: [
      column('payment_id', 'integer'),
      column('order_id', 'integer'),
      column('method', 'varchar(20)'),
      column('amount', 'numeric(12,2)'),
      column('paid_at', 'timestamptz'),
    ],
  });
  const statuses = ['placed', 'shipped', 'completed', 'returned'];
  const tests = [
    test(pkg, src, 'not_null', 'id'),
    test(pkg, stgOrders, 'not_null', 'order_id'),
    test(pkg, stgOrders, 'unique', 'order_id'),
    test(pkg, stgOrders, 'accepted_values', 'status', { values: statuses }),
    test(pkg, stgCustomers, 'unique', 'customer_id'),
    test(pkg, orders, 'unique', 'order_id'),
    test(pkg, orders, 'accepted_values', 'status', { values: statuses }),
    test(pkg, orders, 'relationships', 'customer_id', { to: "ref('customers')", field: 'customer_id' }, { otherDeps: [customers.unique_id] }),
    test(pkg, customers, 'not_null', 'customer_id'),
    test(pkg, customers, 'unique', 'customer_id'),
    test(pkg, stgPayments, 'accepted_values', 'method', { values: ['card', 'bank_transfer', 'voucher'] }),
    test(pkg, payments, 'not_null', 'payment_id'),
    test(pkg, payments, 'relationships', 'order_id', { to: "ref('orders')", field: 'order_id' }, { otherDeps: [orders.unique_id] }),
  ];
  const exposure = {
    name: 'revenue_dashboard',
    resource_type: 'exposure',
    package_name: pkg,
    path: 'exposures.yml',
    original_file_path: 'models/exposures.yml',
    unique_id: `exposure.${pkg}.revenue_dashboard`,
    fqn: [pkg, 'revenue_dashboard'],
    type: 'dashboard',
    owner: { email: 'finance@example.com', name: 'Finance' },
    description: 'Weekly revenue by payment method.',
    label: 'Revenue dashboard',
    maturity: 'high',
    meta: {},
    tags: [],
    config: { enabled: true, tags: [], meta: {} },
    unrendered_config: {},
    url: 'https://bi.example.com/revenue',
    depends_on: { macros: [], nodes: [customers.unique_id, orders.unique_id, payments.unique_id] },
    refs: [{ name: 'orders', package: null, version: null }, { name: 'payments', package: null, version: null }, { name: 'customers', package: null, version: null }],
    sources: [],
    metrics: [],
    created_at: 1736933400,
  };
  const groups = {
    'group.shop.commerce': {
      name: 'commerce',
      resource_type: 'group',
      package_name: pkg,
      path: 'groups.yml',
      original_file_path: 'models/groups.yml',
      unique_id: 'group.shop.commerce',
      owner: { email: 'commerce-lead@example.com', name: 'Commerce Team' },
    },
  };
  return manifestOf({
    project: pkg,
    adapter: 'postgres',
    invocation: uuidFrom(breaking ? 2 : 1),
    nodes: byId([stgOrders, stgCustomers, orders, customers, stgPayments, payments, methods, ...tests]),
    sources: byId([src]),
    exposures: byId([exposure]),
    groups,
  });
}

// ---- big generated projects ----

const TYPES = ['integer', 'varchar(64)', 'numeric(12,2)', 'boolean', 'date', 'timestamp_ntz', 'bigint', 'text', 'double precision', 'varchar(255)'];
const TEAMS = ['growth', 'finance', 'logistics', 'marketing', 'platform'];

function big({ models, columns }) {
  const pkg = 'bench';
  const db = 'warehouse';
  const r = rng(0xc0ffee);
  const sourceCount = Math.max(1, Math.floor(models / 20));
  const sources = [];
  for (let i = 0; i < sourceCount; i++) {
    sources.push(
      source(pkg, 'app', `raw_${i}`, {
        database: 'raw',
        schema: 'app',
        columns: [column('id', 'bigint'), column('payload', 'variant'), column('_loaded_at', 'timestamp')],
        meta: i % 4 === 0 ? { owner: 'platform' } : {},
        loadedAt: '_loaded_at',
        freshness: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 24, period: 'hour' }, filter: null },
      }),
    );
  }
  const nodes = [];
  const tests = [];
  const seedNode = seed(pkg, 'country_codes', { database: db, schema: 'seeds', columnTypes: { code: 'varchar(2)', name: 'varchar(100)' } });
  nodes.push(seedNode);
  for (let i = 0; i < models; i++) {
    const name = `model_${String(i).padStart(5, '0')}`;
    const deps = [];
    if (i === 0 || i % 10 === 0) deps.push(sources[Math.floor(i / 20) % sourceCount].unique_id);
    if (i > 0) deps.push(nodes[1 + Math.floor(r() * i)].unique_id);
    if (i > 1 && r() < 0.3) deps.push(nodes[1 + Math.floor(r() * i)].unique_id);
    const cols = [column('id', 'integer', 'Primary key.'), column('status', 'varchar(20)'), column('parent_id', 'integer')];
    for (let c = 3; c < columns; c++) cols.push(column(`col_${String(c).padStart(2, '0')}`, TYPES[(i + c) % TYPES.length]));
    // A third of the models name an owner; the rest fall to --owner-default.
    const meta = i % 3 === 0 ? { owner: TEAMS[i % TEAMS.length] } : {};
    const m = model(pkg, name, { database: db, schema: `mart_${i % 7}`, columns: cols, deps: [...new Set(deps)].sort(), meta, contract: i % 50 === 0 });
    nodes.push(m);
    tests.push(test(pkg, m, 'not_null', 'id'), test(pkg, m, 'unique', 'id'));
    if (i % 5 === 0) tests.push(test(pkg, m, 'accepted_values', 'status', { values: ['new', 'active', 'closed'] }));
    const parent = deps.find((d) => d.startsWith('model.'));
    if (parent && i % 4 === 0) {
      tests.push(test(pkg, m, 'relationships', 'parent_id', { to: `ref('${parent.split('.').pop()}')`, field: 'id' }, { otherDeps: [parent] }));
    }
  }
  const exposures = [];
  for (let e = 0; e < Math.max(1, Math.floor(models / 500)); e++) {
    const picks = new Set();
    for (let k = 0; k < 5; k++) picks.add(nodes[1 + Math.floor(r() * models)].unique_id);
    exposures.push({
      name: `dashboard_${e}`,
      resource_type: 'exposure',
      package_name: pkg,
      unique_id: `exposure.${pkg}.dashboard_${e}`,
      fqn: [pkg, `dashboard_${e}`],
      type: 'dashboard',
      owner: { email: `bi-${e % 3}@example.com`, name: `BI ${e % 3}` },
      meta: {},
      tags: [],
      config: { enabled: true, tags: [], meta: {} },
      depends_on: { macros: [], nodes: [...picks].sort() },
    });
  }
  return manifestOf({ project: pkg, adapter: 'snowflake', invocation: uuidFrom(models), nodes: byId([...nodes, ...tests]), sources: byId(sources), exposures: byId(exposures) });
}

/** Drops a column, changes a type or adds a column on `percent`% of the models. */
function applyChanges(manifest, percent, seedValue) {
  const r = rng(seedValue);
  const models = Object.values(manifest.nodes).filter((n) => n.resource_type === 'model');
  const count = Math.round((models.length * percent) / 100);
  const chosen = new Set();
  while (chosen.size < count) chosen.add(Math.floor(r() * models.length));
  const tally = { dropped: 0, retyped: 0, added: 0 };
  for (const idx of [...chosen].sort((a, b) => a - b)) {
    const m = models[idx];
    const names = Object.keys(m.columns).filter((c) => c.startsWith('col_'));
    const pick = names[Math.floor(r() * names.length)];
    const what = r();
    if (what < 0.34 && pick) {
      delete m.columns[pick];
      tally.dropped++;
    } else if (what < 0.67 && pick) {
      // Always to a different JSON type (integer -> bigint would change nothing).
      m.columns[pick].data_type = m.columns[pick].data_type === 'boolean' ? 'integer' : 'boolean';
      tally.retyped++;
    } else {
      m.columns.added_col = column('added_col', 'varchar(32)');
      tally.added++;
    }
  }
  manifest.metadata.invocation_id = uuidFrom(seedValue * 7919 + count);
  return tally;
}

/** A `dbt build` run_results for the manifest: everything passes except one test (which fails with 3 rows). */
function runResults(manifest) {
  const order = { seed: 0, model: 1, test: 2 };
  const ids = Object.values(manifest.nodes)
    .filter((n) => n.resource_type in order)
    .sort((a, b) => order[a.resource_type] - order[b.resource_type] || (a.unique_id < b.unique_id ? -1 : 1))
    .map((n) => n.unique_id);
  const failing = ids.find((id) => id.startsWith('test.') && id.includes('accepted_values'));
  let clock = Date.parse(GENERATED_AT);
  const results = ids.map((id, i) => {
    const isTest = id.startsWith('test.');
    const started = new Date(clock).toISOString();
    clock += 40 + (i % 7) * 11;
    const mid = new Date(clock).toISOString();
    clock += 120 + (i % 5) * 37;
    const done = new Date(clock).toISOString();
    const fails = id === failing;
    return {
      status: isTest ? (fails ? 'fail' : 'pass') : 'success',
      timing: [
        { name: 'compile', started_at: started, completed_at: mid },
        { name: 'execute', started_at: mid, completed_at: done },
      ],
      thread_id: `Thread-${(i % 4) + 1}`,
      execution_time: (Date.parse(done) - Date.parse(started)) / 1000,
      adapter_response: { _message: isTest ? 'SELECT 1' : 'OK', code: 'SELECT', rows_affected: isTest ? 1 : 0 },
      message: isTest ? (fails ? 'Got 3 results, configured to fail if != 0' : null) : 'OK',
      failures: isTest ? (fails ? 3 : 0) : null,
      unique_id: id,
      compiled: true,
      relation_name: null,
      batch_results: null,
    };
  });
  return {
    metadata: { dbt_schema_version: RUN_RESULTS_V6, dbt_version: manifest.metadata.dbt_version, generated_at: new Date(clock).toISOString(), invocation_id: manifest.metadata.invocation_id, env: {} },
    results,
    elapsed_time: (clock - Date.parse(GENERATED_AT)) / 1000,
    args: { which: 'build', select: [], exclude: [], write_json: true, indirect_selection: 'eager' },
  };
}

function write(file, value, pretty) {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, pretty ? `${JSON.stringify(value, null, 2)}\n` : JSON.stringify(value));
}

const opts = parseArgs(process.argv.slice(2));
const manifest = opts.demo ? demo({ breaking: opts.breaking }) : big(opts);
let tally;
if (opts.changePercent > 0) tally = applyChanges(manifest, opts.changePercent, opts.seed);
// Demo files are read by people: indented. Big ones are compact, as dbt writes them.
write(opts.out, manifest, opts.demo);
if (opts.runResultsOut) write(opts.runResultsOut, runResults(manifest), opts.demo);
const n = Object.values(manifest.nodes).filter((x) => x.resource_type === 'model').length;
console.error(`gen-manifest: ${opts.out}: ${n} models${tally ? `, changed: ${JSON.stringify(tally)}` : ''}`);

/** planFromManifest on hand-made manifests: the rules one at a time, and hostile input. */
import { describe, expect, it } from 'vitest';
import { assetId } from '../../src/core/model.js';
import { parseManifest } from '../../src/dbt/manifest.js';
import { planFromManifest } from '../../src/dbt/plan.js';
import { relationId, teamSlug } from '../../src/dbt/ids.js';
import { asset, miniManifest, miniModel, miniTest } from './helpers.js';

const plan = (parts: Parameters<typeof miniManifest>[0], options = {}) => planFromManifest(parseManifest(miniManifest(parts)), options);

describe('asset ids', () => {
  it('are the lower-cased relation, with an absent database dropped', () => {
    expect(relationId(['Analytics', 'Marts', 'Orders'])).toBe('analytics.marts.orders');
    expect(relationId([null, 'marts', 'orders'])).toBe('marts.orders');
    expect(relationId(['my-proj', 'sch', 'Tbl$1'])).toBe('my-proj.sch.tbl_1');
    expect(relationId(['db', '_tuva', 'x'])).toBe('db._tuva.x');
    expect(relationId([null, '_tuva', 'x'])).toBe('tuva.x');
    // git refuses ref names ending in .lock.
    expect(relationId(['db', 'sch', 'lock'])).toBe('db.sch.lock_');
  });

  it('stay within 200 characters with a stable hash suffix', () => {
    const long = relationId(['db', 'sch', 'x'.repeat(300)]);
    expect(long).toHaveLength(200);
    expect(long).toMatch(/-[0-9a-f]{8}$/);
    expect(relationId(['db', 'sch', 'x'.repeat(300)])).toBe(long);
    expect(relationId(['db', 'sch', 'x'.repeat(301)])).not.toBe(long);
  });

  it('make hostile names safe: path traversal, control characters, dots', () => {
    const p = plan({
      nodes: {
        'model.mini.evil': miniModel('evil', { alias: '../../etc/passwd', schema: 'a/../../b' }),
        'model.mini.ctl': miniModel('ctl', { alias: 'bad\u0000name\n\u001b[31m', database: '..' }),
        'model.mini.dots': miniModel('dots', { alias: 'a..b.', database: null }),
        'model.mini.empty': miniModel('empty', { alias: '../', database: null, schema: null }),
      },
    });
    const ids = Object.fromEntries(p.assets.map((a) => [a.name, a.id]));
    expect(ids).toEqual({ evil: 'db.a_______b.______etc_passwd', ctl: 'sch.bad_name___31m', dots: 'sch.a__b_' });
    for (const id of Object.values(ids)) {
      expect(assetId.safeParse(id).success).toBe(true);
      expect(id).not.toMatch(/\.\.|\//);
    }
    // Nothing usable in the relation: skipped, with a warning.
    expect(p.assets.some((a) => a.name === 'empty')).toBe(false);
    expect(p.warnings).toContain('skipped model.mini.empty: its relation name has no letters or digits to make an asset id from');
  });

  it('survive hostile column names and owners', () => {
    const p = plan({
      nodes: {
        'model.mini.a': miniModel('a', {
          meta: { owner: '../../root' },
          columns: { __proto__x: { name: '__proto__', data_type: 'int' }, c: { name: 'constructor', data_type: 'text' } },
        }),
      },
    });
    const a = p.assets[0];
    expect(a?.owner).toBe('root');
    expect(Object.keys(a?.schema['properties'] as object)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(a?.schema['properties'])).toBe(Object.prototype);
  });

  it('collide: the node that builds the relation keeps the id, a source over it gets a suffix', () => {
    const p = plan({
      nodes: { 'model.mini.t': miniModel('t') },
      sources: { 'source.mini.raw.t': { unique_id: 'source.mini.raw.t', resource_type: 'source', name: 't', identifier: 't', source_name: 'raw', database: 'db', schema: 'sch', columns: {} } },
    });
    expect(p.assets.map((a) => [a.uniqueId, a.id])).toEqual([
      ['model.mini.t', 'db.sch.t'],
      ['source.mini.raw.t', 'db.sch.t-source'],
    ]);
    expect(p.warnings.some((w) => w.includes('names the same relation'))).toBe(true);
  });

  it('versions of a model are separate assets through their aliases', () => {
    const p = plan({
      nodes: {
        'model.mini.c.v1': miniModel('c', { unique_id: 'model.mini.c.v1', alias: 'c_v1', version: 1 }),
        'model.mini.c.v2': miniModel('c', { unique_id: 'model.mini.c.v2', alias: 'c', version: '2' }),
      },
    });
    expect(p.assets.map((a) => [a.id, a.version])).toEqual([
      ['db.sch.c', '2'],
      ['db.sch.c_v1', '1'],
    ]);
  });
});

describe('team names', () => {
  it('slugify owners', () => {
    expect(teamSlug('@drew')).toBe('drew');
    expect(teamSlug('Finance')).toBe('finance');
    expect(teamSlug('Data Team')).toBe('data-team');
    expect(teamSlug('jane.doe@corp.com')).toBe('jane-doe');
    expect(teamSlug('  ')).toBeUndefined();
    expect(teamSlug('@@@')).toBeUndefined();
    expect(teamSlug('x'.repeat(100))).toHaveLength(64);
  });
});

describe('schemas and guarantees', () => {
  const A = 'model.mini.a';
  const cols = {
    id: { name: 'id', data_type: 'integer' },
    status: { name: 'STATUS', data_type: 'varchar(10)' },
    code: { name: 'code', data_type: 'integer' },
    flag: { name: 'flag', data_type: 'boolean' },
    note: { name: 'note' },
    Quoted: { name: 'Quoted', data_type: 'text', quote: true },
  };

  it('not_null makes a column required; warn or where does not; accepted_values becomes an enum of the column type', () => {
    const p = plan({
      nodes: {
        [A]: miniModel('a', { columns: cols }),
        't1': miniTest('nn_id', A, 'not_null', 'id'),
        't2': miniTest('nn_note_warn', A, 'not_null', 'note', { config: { severity: 'warn' } }),
        't3': miniTest('nn_flag_where', A, 'not_null', 'flag', { config: { where: 'flag is not null' } }),
        't4': miniTest('av_status', A, 'accepted_values', 'status', { kwargs: { values: ['a', 'b', 'a', 1] } }),
        't5': miniTest('av_code', A, 'accepted_values', 'code', { kwargs: { values: ['1', 2, 'x'] } }),
        't6': miniTest('av_flag', A, 'accepted_values', 'flag', { kwargs: { values: ['TRUE', "'false'"], quote: false } }),
        't7': miniTest('nn_quoted', A, 'not_null', '"Quoted"'),
      },
    });
    const a = asset(p, A);
    expect(a.schema['required']).toEqual(['Quoted', 'id']);
    expect(a.schema['properties']).toEqual({
      Quoted: { type: 'string', 'x-physical-type': 'text' },
      code: { type: 'integer', 'x-physical-type': 'integer', enum: [1, 2] },
      flag: { type: 'boolean', 'x-physical-type': 'boolean', enum: [true, false] },
      id: { type: 'integer', 'x-physical-type': 'integer' },
      note: {},
      // The physical type is the base name: its length is maxLength.
      status: { type: 'string', maxLength: 10, 'x-physical-type': 'varchar', enum: ['a', 'b', '1'] },
    });
    expect(a.columns).toEqual({ total: 6, typed: 5, untyped: ['note'] });
    const nn = a.guarantees.filter((g) => g.kind === 'not_null');
    expect(nn.map((g) => [g.column, g.severity, g.config])).toEqual([
      ['Quoted', 'error', undefined],
      ['flag', 'error', { where: 'flag is not null' }],
      ['id', 'error', undefined],
      ['note', 'warn', undefined],
    ]);
    expect(p.warnings).toContain('1 column(s) on 1 asset(s) have no data type; their properties accept any value');
  });

  it('namespaced tests are kept by name with their kwargs', () => {
    const p = plan({
      nodes: {
        [A]: miniModel('a', { columns: cols }),
        t: {
          ...miniTest('combo', A, 'unique_combination_of_columns', undefined, { kwargs: { combination_of_columns: ['ID', 'code'], quote_columns: false } }),
          test_metadata: { name: 'unique_combination_of_columns', namespace: 'dbt_utils', kwargs: { combination_of_columns: ['ID', 'code'], quote_columns: false, model: "{{ ref('a') }}" } },
        },
      },
    });
    expect(asset(p, A).guarantees).toEqual([
      { kind: 'dbt_utils.unique_combination_of_columns', columns: ['id', 'code'], config: { quote_columns: false }, severity: 'error', source: 'test.mini.combo' },
    ]);
  });

  it('constraints count only under an enforced contract', () => {
    const constrained = {
      columns: { id: { name: 'id', data_type: 'int', constraints: [{ type: 'not_null' }, { type: 'check', expression: 'id > 0' }] }, other: { name: 'other', data_type: 'int', constraints: [{ type: 'foreign_key', to: "ref('b')", to_columns: ['id'] }] } },
      constraints: [{ type: 'unique', columns: ['id', 'other'] }],
    };
    const on = plan({ nodes: { [A]: miniModel('a', { ...constrained, config: { enabled: true, contract: { enforced: true } } }) } });
    const a = asset(on, A);
    expect(a.contractEnforced).toBe(true);
    expect(a.schema['required']).toEqual(['id']);
    expect(a.guarantees).toEqual([
      { kind: 'check', column: 'id', expression: 'id > 0', source: 'constraint' },
      { kind: 'contract', source: 'contract' },
      { kind: 'foreign_key', column: 'other', to: "ref('b')", field: 'id', source: 'constraint' },
      { kind: 'not_null', column: 'id', source: 'constraint' },
      { kind: 'unique', columns: ['id', 'other'], source: 'constraint' },
    ]);
    const off = plan({ nodes: { [A]: miniModel('a', constrained) } });
    expect(asset(off, A).guarantees).toEqual([]);
    expect(off.warnings.some((w) => w.startsWith('constraints ignored on 1 asset(s)'))).toBe(true);
  });

  it('seeds take column_types over documented data types', () => {
    const p = plan({
      nodes: {
        'seed.mini.s': { ...miniModel('s'), unique_id: 'seed.mini.s', resource_type: 'seed', config: { enabled: true, column_types: { code: 'varchar(2)' } }, columns: { code: { name: 'code', data_type: 'text', description: 'ISO code' }, name: { name: 'name' } } },
      },
    });
    expect(p.assets[0]?.schema['properties']).toEqual({ code: { type: 'string', maxLength: 2, 'x-physical-type': 'varchar', description: 'ISO code' }, name: {} });
  });

  it('unknown types are unconstrained with one summary warning', () => {
    const p = plan({ nodes: { [A]: miniModel('a', { columns: { g: { name: 'g', data_type: 'geography' }, h: { name: 'h', data_type: 'GEOGRAPHY' } } }) } });
    expect(p.assets[0]?.schema['properties']).toEqual({ g: {}, h: {} });
    expect(p.warnings).toContain('unknown column type(s) left unconstrained: geography (2)');
  });

  it('tests that test no asset are reported, not guessed', () => {
    const p = plan({ nodes: { [A]: miniModel('a'), t: { ...miniTest('orphan', 'model.mini.gone', 'not_null', 'x'), depends_on: { nodes: ['model.mini.gone'] } } } });
    expect(p.assets[0]?.guarantees).toEqual([]);
    expect(p.warnings).toContain('1 test(s) test no planned asset and give no guarantee: t');
  });
});

describe('owners and consumers', () => {
  it('follows meta.tessera.owner > meta.owner > config.meta.owner > group > ownerDefault', () => {
    const p = plan(
      {
        groups: { 'group.mini.core': { unique_id: 'group.mini.core', name: 'Core', owner: { name: 'Core Lead', email: 'Lead@Example.com' } } },
        nodes: {
          'model.mini.a': miniModel('a', { meta: { owner: 'Finance', tessera: { owner: 'ledger' } }, group: 'Core' }),
          'model.mini.b': miniModel('b', { meta: { owner: 'jane@corp.com' }, group: 'Core' }),
          'model.mini.c': miniModel('c', { config: { enabled: true, meta: { owner: '@drew' } } }),
          'model.mini.d': miniModel('d', { group: 'Core', depends_on: { nodes: ['model.mini.a', 'model.mini.b', 'model.mini.e'] } }),
          'model.mini.e': miniModel('e', { meta: { tessera: { consumers: ['Growth', 'platform', '!!!'] } } }),
        },
      },
      { ownerDefault: 'platform' },
    );
    const owner = Object.fromEntries(p.assets.map((a) => [a.name, a.owner]));
    expect(owner).toEqual({ a: 'ledger', b: 'jane', c: 'drew', d: 'core', e: 'platform' });
    const consumers = Object.fromEntries(p.assets.map((a) => [a.name, a.consumers]));
    // d (core) reads a, b and e: cross-owner refs. e lists growth; platform is its owner.
    expect(consumers).toEqual({ a: ['core'], b: ['core'], c: [], d: [], e: ['core', 'growth'] });
    expect(p.teams).toEqual([
      { name: 'core', members: ['lead@example.com'], origin: 'group group.mini.core' },
      { name: 'drew', members: [], origin: 'config.meta.owner of model.mini.c' },
      { name: 'growth', members: [], origin: 'meta.tessera.consumers of model.mini.e' },
      { name: 'jane', members: ['jane@corp.com'], origin: 'meta.owner of model.mini.b' },
      { name: 'ledger', members: [], origin: 'meta.tessera.owner of model.mini.a' },
      { name: 'platform', members: [], origin: 'owner default' },
    ]);
    expect(p.warnings.some((w) => w.includes('give no usable team name') && w.includes('model.mini.e'))).toBe(true);
  });

  it('exposures: an explicit meta owner wins over the person in owner; disabled exposures are ignored', () => {
    const p = plan({
      nodes: { 'model.mini.a': miniModel('a'), 'model.mini.b': miniModel('b') },
      exposures: {
        'exposure.mini.x': { unique_id: 'exposure.mini.x', name: 'x', owner: { name: 'Anna Anderson', email: 'anna@example.com' }, config: { enabled: true, meta: { owner: 'Finance' } }, depends_on: { nodes: ['model.mini.a'] } },
        'exposure.mini.y': { unique_id: 'exposure.mini.y', name: 'y', owner: { name: 'Anna Anderson', email: 'anna@example.com' }, depends_on: { nodes: ['model.mini.b', 'metric.mini.m'] } },
        'exposure.mini.z': { unique_id: 'exposure.mini.z', name: 'z', owner: { name: 'Off' }, config: { enabled: false }, depends_on: { nodes: ['model.mini.b'] } },
        'exposure.mini.w': { unique_id: 'exposure.mini.w', name: 'w', depends_on: { nodes: ['model.mini.b'] } },
      },
    });
    expect(p.assets.map((a) => [a.name, a.consumers])).toEqual([
      ['a', ['finance']],
      ['b', ['anna-anderson']],
    ]);
    expect(p.teams.map((t) => [t.name, t.members])).toEqual([
      ['anna-anderson', ['anna@example.com']],
      ['finance', []],
    ]);
    expect(p.warnings).toContain('1 exposure(s) have no owner, so register no consumer: exposure.mini.w');
  });
});

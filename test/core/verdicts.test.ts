/**
 * The verdict table of docs/rules.md (derived from each rule's example by
 * core/diff/verdicts.ts), pinned where issue 12 states the answer, plus the
 * guarantee verdicts per mode. A change to the engine that moves one of these
 * fails here, not in a user's pipeline.
 */
import { describe, expect, it } from 'vitest';
import { RULES, ruleById, verdictsOf, type ModeVerdicts } from '../../src/core/diff/index.js';
import { diffGuarantees } from '../../src/core/guarantees.js';
import { effectiveGuaranteeMode, effectiveMode } from '../../src/core/publish.js';
import { registryConfigSchema, type Asset, type Guarantee, type Version } from '../../src/core/model.js';

const v = (id: string): ModeVerdicts => {
  const rule = ruleById(id);
  expect(rule, id).toBeDefined();
  const got = verdictsOf(rule!);
  expect(got, `${id}: its example does not produce it`).toBeDefined();
  return got!;
};

describe('verdict table', () => {
  it('every rule has a verdict under backward, forward, full and consumer', () => {
    expect(RULES.filter((r) => verdictsOf(r) === undefined).map((r) => r.id)).toEqual([]);
  });

  it('full is breaking exactly when backward or forward is', () => {
    for (const r of RULES) {
      const x = verdictsOf(r)!;
      const either = x.backward === 'breaking' || x.forward === 'breaking';
      expect(x.full, r.id).toBe(either ? 'breaking' : 'compatible');
    }
  });

  // [rule, consumer verdict, why]: the list, as old readers of new rows see it.
  const CONSUMER: Array<[string, 'breaking' | 'compatible']> = [
    ['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', 'breaking'], // a column dropped
    ['PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', 'breaking'], // ... whether or not it was required, whatever the content model
    ['OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', 'compatible'], // a column added
    ['REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', 'compatible'],
    ['OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', 'compatible'],
    ['REQUIRED_ATTRIBUTE_REMOVED', 'breaking'], // nullable where it was not null
    ['REQUIRED_ATTRIBUTE_ADDED', 'compatible'], // made not null
    ['MAX_LENGTH_INCREASED', 'breaking'], // varchar(100) -> varchar(4000)
    ['MAX_LENGTH_REMOVED', 'breaking'], // varchar(100) -> text
    ['MAX_LENGTH_DECREASED', 'compatible'],
    ['MAXIMUM_INCREASED', 'breaking'], // a wider numeric range
    ['MINIMUM_DECREASED', 'breaking'],
    ['MINIMUM_INCREASED', 'compatible'],
    ['TYPE_EXTENDED', 'breaking'], // integer -> number
    ['TYPE_NARROWED', 'compatible'], // number -> integer
    ['ENUM_ARRAY_EXTENDED', 'breaking'], // an accepted value added
    ['ENUM_ARRAY_NARROWED', 'compatible'], // an accepted value removed
    ['FORMAT_REMOVED', 'breaking'],
    ['FORMAT_CHANGED', 'breaking'],
    ['FORMAT_ADDED', 'compatible'],
    ['PATTERN_CHANGED', 'breaking'],
    ['PATTERN_REMOVED', 'breaking'],
    ['SUM_TYPE_EXTENDED', 'breaking'], // string -> string or null
    ['PHYSICAL_TYPE_WIDENED', 'breaking'], // int -> bigint
    ['PHYSICAL_TYPE_NARROWED', 'compatible'],
    ['PHYSICAL_TYPE_CHANGED', 'breaking'],
    ['PHYSICAL_TYPE_EQUIVALENT', 'compatible'],
  ];
  it.each(CONSUMER)('consumer: %s is %s', (id, expected) => {
    expect(v(id).consumer).toBe(expected);
  });

  it('backward keeps Confluent\'s meaning where consumer differs', () => {
    expect(v('OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL')).toMatchObject({ backward: 'compatible', forward: 'breaking' });
    expect(v('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL')).toMatchObject({ backward: 'compatible', forward: 'breaking' });
    expect(v('REQUIRED_ATTRIBUTE_ADDED')).toMatchObject({ backward: 'breaking', forward: 'compatible' });
    expect(v('PHYSICAL_TYPE_WIDENED')).toMatchObject({ backward: 'compatible', forward: 'breaking' });
  });
});

describe('modes and guarantee modes of assets', () => {
  const config = registryConfigSchema.parse({ format: 1 });
  const asset = (over: Partial<Asset> = {}): Asset => ({ id: 'a', owner: 't', kind: 'table', tags: [], current_version: '1.0.0', ...over });

  it('a new table asset (any table kind) gets consumer; a topic or file gets backward', () => {
    for (const kind of ['table', 'view', 'model', 'source', 'seed', 'snapshot'] as const) {
      expect(effectiveMode(config, undefined, undefined, { asset: 'x', schema: {}, kind }), kind).toBe('consumer');
    }
    expect(effectiveMode(config, undefined, undefined, { asset: 'x', schema: {}, kind: 'topic' })).toBe('backward');
    expect(effectiveMode(config, undefined, undefined, { asset: 'x', schema: {}, kind: 'file' })).toBe('backward');
  });

  it('an existing asset keeps the mode its latest version was judged under, whatever tessera.yaml now says', () => {
    const latest = { compatibility_mode: 'backward' } as Version;
    expect(effectiveMode(config, asset(), latest)).toBe('backward');
    expect(effectiveMode(config, asset({ compatibility_mode: 'full' }), latest)).toBe('full');
  });

  it('guarantee_mode unset: strict under consumer, notify otherwise; a registry or asset setting softens it', () => {
    expect(effectiveGuaranteeMode(config, asset(), 'consumer')).toBe('strict');
    expect(effectiveGuaranteeMode(config, asset(), 'backward')).toBe('notify');
    const softened = registryConfigSchema.parse({ format: 1, defaults: { guarantee_mode: 'notify' } });
    expect(effectiveGuaranteeMode(softened, asset(), 'consumer')).toBe('notify');
    expect(effectiveGuaranteeMode(config, asset({ guarantee_mode: 'ignore' }), 'consumer')).toBe('ignore');
  });

  const g = (kind: string, extra: Partial<Guarantee> = {}): Guarantee => ({ kind, column: 'c', ...extra });
  it('under strict (the consumer default) a removed or weakened guarantee breaks; an added one does not', () => {
    for (const kind of ['not_null', 'unique', 'primary_key', 'relationships', 'contract']) {
      const [c] = diffGuarantees([g(kind)], [], 'strict');
      expect(c, kind).toMatchObject({ rule: 'GUARANTEE_REMOVED', breaking: true });
    }
    const [wider] = diffGuarantees([g('accepted_values', { values: ['a'] })], [g('accepted_values', { values: ['a', 'b'] })], 'strict');
    expect(wider).toMatchObject({ rule: 'GUARANTEE_WEAKENED', breaking: true });
    const [added] = diffGuarantees([], [g('not_null')], 'strict');
    expect(added).toMatchObject({ rule: 'GUARANTEE_ADDED', breaking: false });
  });

  it('freshness loosened or dropped is a warning, never breaking', () => {
    const f = (hours: number): Guarantee => ({ kind: 'freshness', config: { error_after: { count: hours, period: 'hour' } } });
    expect(diffGuarantees([f(12)], [f(24)], 'strict')).toEqual([expect.objectContaining({ rule: 'GUARANTEE_WEAKENED', severity: 'warning', breaking: false })]);
    expect(diffGuarantees([f(12)], [], 'strict')).toEqual([expect.objectContaining({ rule: 'GUARANTEE_REMOVED', severity: 'warning', breaking: false })]);
    expect(diffGuarantees([f(24)], [f(12)], 'strict')).toEqual([]);
  });
});

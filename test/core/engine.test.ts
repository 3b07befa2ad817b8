/**
 * The engine's contract beyond single rules: modes and directions, content
 * models, policies, profiles, $ref and recursion, bump, hints, transitive
 * checks, and speed.
 */
import { describe, expect, it } from 'vitest';
import { checkCompatibility, diffSchemas, ruleById, DEFAULT_DIFF_OPTIONS, type DiffOptions, type JsonSchema } from '../../src/core/diff/index.js';

const opts = (o: Partial<DiffOptions> = {}): DiffOptions => ({ ...DEFAULT_DIFF_OPTIONS, ...o });
const table = (props: Record<string, unknown>, required: string[] = []): JsonSchema => ({ type: 'object', properties: props, required });
const rules = (cs: { rule: string }[]): string[] => cs.map((c) => c.rule).sort();

const v1 = table({ id: { type: 'integer' }, email: { type: 'string' } }, ['id', 'email']);

describe('diffSchemas', () => {
  it('returns nothing for equal schemas, and for the same object', () => {
    expect(diffSchemas(v1, structuredClone(v1), opts())).toEqual([]);
    expect(diffSchemas(v1, v1, opts({ mode: 'full' }))).toEqual([]);
  });

  it('removing the required email column breaks backward under the closed default', () => {
    const v2 = table({ id: { type: 'integer' } }, ['id']);
    const [c, ...rest] = diffSchemas(v1, v2, opts());
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', path: '/properties/email', breaking: true, breaks: ['backward'], old: { type: 'string' } });
    // The message says what changed; the path is its own field and is not repeated in the sentence.
    expect(c!.message).toBe('A property (column) was removed from a closed object.');
    // The same removal under the open model is fine: the name may still appear as an unlisted property.
    expect(diffSchemas(v1, v2, opts({ contentModel: 'open' })).map((x) => [x.rule, x.breaking])).toEqual([['PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', false]]);
    // LENIENT accepts removing a property from a closed model.
    expect(diffSchemas(v1, v2, opts({ policy: 'lenient' }))[0]!.breaking).toBe(false);
  });

  it('an optional column is compatible backward, breaking forward and full (one change, both verdicts)', () => {
    const v2 = table({ id: { type: 'integer' }, email: { type: 'string' }, phone: { type: 'string' } }, ['id', 'email']);
    const back = diffSchemas(v1, v2, opts());
    expect(back.map((c) => [c.rule, c.breaking])).toEqual([['OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', false]]);
    const fwd = diffSchemas(v1, v2, opts({ mode: 'forward' }));
    expect(fwd).toHaveLength(1);
    expect(fwd[0]).toMatchObject({ path: '/properties/phone', breaking: true, breaks: ['forward'] });
    const full = diffSchemas(v1, v2, opts({ mode: 'full' }));
    expect(full.map((c) => [c.rule, c.breaking, c.breaks])).toEqual([['OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', true, ['forward']]]);
    expect(diffSchemas(v1, v2, opts({ mode: 'none' })).every((c) => !c.breaking && c.breaks!.length === 0)).toBe(true);
  });

  it('a change that breaks both ways lists both directions under full', () => {
    const a = { type: 'string', format: 'date' };
    const b = { type: 'string', format: 'date-time' };
    const [c] = diffSchemas(a, b, opts({ mode: 'full' }));
    expect(c).toMatchObject({ rule: 'FORMAT_CHANGED', breaking: true });
    expect(c!.breaks!.sort()).toEqual(['backward', 'forward']);
  });

  it('judges format only under the tessera profile', () => {
    expect(rules(diffSchemas({ type: 'string' }, { type: 'string', format: 'email' }, opts()))).toEqual(['FORMAT_ADDED']);
    expect(diffSchemas({ type: 'string' }, { type: 'string', format: 'email' }, opts({ profile: 'confluent' }))).toEqual([]);
    expect(diffSchemas({ type: 'string', format: 'date' }, { type: 'string' }, opts())[0]!.breaking).toBe(false);
  });

  it('nullability through a type array and through anyOf/oneOf with null', () => {
    const col = (s: unknown): JsonSchema => table({ c: s });
    for (const nullable of [{ type: ['string', 'null'] }, { anyOf: [{ type: 'string' }, { type: 'null' }] }, { oneOf: [{ type: 'null' }, { type: 'string' }] }]) {
      const widen = diffSchemas(col({ type: 'string' }), col(nullable), opts());
      expect(widen.map((c) => [c.rule, c.path, c.breaking])).toEqual([['SUM_TYPE_EXTENDED', '/properties/c', false]]);
      expect(diffSchemas(col(nullable), col({ type: 'string' }), opts()).some((c) => c.breaking)).toBe(true);
    }
  });

  it('names the enum change inside {type, enum} under tessera, and keeps Confluent naming under confluent', () => {
    const a = { type: 'string', enum: ['a', 'b'] };
    const b = { type: 'string', enum: ['a'] };
    expect(diffSchemas(a, b, opts()).map((c) => [c.rule, c.path, c.breaking])).toEqual([['ENUM_ARRAY_NARROWED', '/enum', true]]);
    expect(rules(diffSchemas(a, b, opts({ profile: 'confluent' })))).toEqual(['COMBINED_TYPE_SUBSCHEMAS_CHANGED']);
    expect(rules(diffSchemas({ type: 'string' }, a, opts()))).toEqual(['ENUM_ADDED']);
    expect(rules(diffSchemas(a, { type: 'string' }, opts()))).toEqual(['ENUM_REMOVED']);
  });

  it('new required column: breaking without a default, compatible with one', () => {
    const without = table({ id: { type: 'integer' }, email: { type: 'string' }, tier: { type: 'string' } }, ['id', 'email', 'tier']);
    const withDefault = table({ id: { type: 'integer' }, email: { type: 'string' }, tier: { type: 'string', default: 'free' } }, ['id', 'email', 'tier']);
    expect(diffSchemas(v1, without, opts()).map((c) => [c.rule, c.breaking])).toEqual([['REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', true]]);
    expect(diffSchemas(v1, withDefault, opts()).map((c) => [c.rule, c.breaking])).toEqual([['REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL', false]]);
  });

  it('reads draft-04 boolean exclusive bounds as numbers', () => {
    const a = { type: 'number', maximum: 10, exclusiveMaximum: true };
    expect(rules(diffSchemas(a, { type: 'number', exclusiveMaximum: 5 }, opts()))).toEqual(['EXCLUSIVE_MAXIMUM_DECREASED']);
    // < 10 became <= 10: one effective upper bound, relaxed.
    expect(rules(diffSchemas(a, { type: 'number', maximum: 10 }, opts()))).toEqual(['UPPER_BOUND_RELAXED']);
    expect(rules(diffSchemas(a, { type: 'number', exclusiveMaximum: 10 }, opts()))).toEqual([]);
  });

  it('multipleOf with fractions', () => {
    expect(rules(diffSchemas({ type: 'number', multipleOf: 0.1 }, { type: 'number', multipleOf: 0.05 }, opts()))).toEqual(['MULTIPLE_OF_REDUCED']);
    expect(rules(diffSchemas({ type: 'number', multipleOf: 0.1 }, { type: 'number', multipleOf: 0.3 }, opts()))).toEqual(['MULTIPLE_OF_EXPANDED']);
  });

  it('follows local $ref into $defs and definitions, and stops on recursion', () => {
    const node = (leaf: string): JsonSchema => ({
      $defs: { node: { type: 'object', properties: { value: { type: leaf }, children: { type: 'array', items: { $ref: '#/$defs/node' } } } } },
      $ref: '#/$defs/node',
    });
    expect(diffSchemas(node('integer'), node('integer'), opts({ mode: 'full' }))).toEqual([]);
    const changes = diffSchemas(node('integer'), node('number'), opts());
    expect(changes.map((c) => [c.rule, c.path])).toEqual([['TYPE_EXTENDED', '/properties/value']]);
    const self: JsonSchema = { $ref: '#' };
    expect(diffSchemas(self, self, opts())).toEqual([]);
  });

  it('matches combinator branches by compatibility, whatever their order', () => {
    const a = { anyOf: [{ type: 'string', maxLength: 5 }, { type: 'integer' }] };
    const b = { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 8 }] };
    const changes = diffSchemas(a, b, opts());
    expect(changes.map((c) => [c.rule, c.path]).sort()).toEqual([
      ['MAX_LENGTH_INCREASED', '/anyOf/0/maxLength'],
      ['TYPE_EXTENDED', '/anyOf/1'],
    ]);
  });

  it('handles tuples in both draft-07 and 2020-12 spelling', () => {
    const d7 = { type: 'array', items: [{ type: 'string' }], additionalItems: false };
    const d7b = { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false };
    expect(diffSchemas(d7, d7b, opts()).map((c) => [c.rule, c.path, c.breaking])).toEqual([['ITEM_ADDED_TO_CLOSED_CONTENT_MODEL', '/items/1', false]]);
    const m = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false };
    const mb = { ...m, prefixItems: [{ type: 'string' }] };
    expect(diffSchemas(m, mb, opts()).map((c) => [c.rule, c.path, c.breaking])).toEqual([['ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL', '/prefixItems/1', true]]);
  });

  it('never emits a rule id that is not in the catalog', () => {
    const samples: JsonSchema[] = [
      true,
      false,
      {},
      v1,
      { type: ['string', 'null'], format: 'date', minLength: 1, pattern: 'x' },
      { type: 'array', items: [{ type: 'string' }], additionalItems: { type: 'number' }, contains: { const: 1 }, maxContains: 3, uniqueItems: true },
      { type: 'object', patternProperties: { '^x': { type: 'string' } }, propertyNames: { maxLength: 4 }, dependencies: { a: ['b'], c: { required: ['d'] } }, if: { required: ['a'] }, then: { required: ['b'] } },
      { allOf: [{ type: 'string' }, { not: { const: '' } }], $comment: 'c', examples: ['x'], deprecated: true },
      { $ref: 'https://example.com/x.json' },
      { oneOf: [{ type: 'integer', minimum: 0, exclusiveMaximum: 10, multipleOf: 2 }, { enum: [1, 2] }] },
    ];
    const seen = new Set<string>();
    for (const a of samples) {
      for (const b of samples) {
        for (const profile of ['tessera', 'confluent'] as const) {
          for (const c of diffSchemas(a, b, opts({ mode: 'full', profile }))) seen.add(c.rule);
        }
      }
    }
    expect([...seen].filter((id) => !ruleById(id))).toEqual([]);
    expect(seen.size).toBeGreaterThan(20);
  });

  it('terminates on cyclic object graphs without $ref (YAML aliases can build them)', () => {
    const a: Record<string, unknown> = { type: 'object', properties: {} };
    (a.properties as Record<string, unknown>).self = a;
    (a.properties as Record<string, unknown>).other = a;
    const b: Record<string, unknown> = { type: 'object', properties: {} };
    (b.properties as Record<string, unknown>).self = b;
    (b.properties as Record<string, unknown>).other = b;
    (b.properties as Record<string, unknown>).added = { type: 'string' };
    const changes = diffSchemas(a, b, opts({ mode: 'full' }));
    expect(changes.map((c) => [c.rule, c.path])).toEqual([['OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', '/properties/added']]);
    const loop: Record<string, unknown> = { anyOf: [{ type: 'string' }] };
    (loop.anyOf as unknown[]).push(loop);
    const negated: Record<string, unknown> = {};
    negated.not = negated;
    expect(diffSchemas(loop, loop, opts({ mode: 'full' }))).toEqual([]);
    expect(diffSchemas(negated, negated, opts({ mode: 'full' }))).toEqual([]);
  });

  it('a 30-level deep schema is fine', () => {
    const deep = (depth: number, leaf: string): JsonSchema => (depth === 0 ? { type: leaf } : { type: 'object', properties: { next: deep(depth - 1, leaf) } });
    const changes = diffSchemas(deep(30, 'integer'), deep(30, 'string'), opts());
    expect(changes).toHaveLength(1);
    expect(changes[0]!.path.split('/properties/next')).toHaveLength(31);
  });

  // Its speed is measured by `npm run bench -- diff` (docs/benchmarks.md), never asserted here.
  it('diffs two 2,000-property objects: every retyped column, and nothing else', () => {
    const wide = (n: number, twist: boolean): JsonSchema => {
      const props: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) props[`col_${i}`] = { type: twist && i % 100 === 0 ? 'number' : 'integer', description: `column ${i}` };
      return { type: 'object', properties: props, required: Object.keys(props).slice(0, n / 2) };
    };
    const changes = diffSchemas(wide(2000, false), wide(2000, true), opts());
    expect(changes.map((c) => c.path).sort()).toEqual(Array.from({ length: 20 }, (_, k) => `/properties/col_${k * 100}`).sort());
    expect(new Set(changes.map((c) => c.rule))).toEqual(new Set(['TYPE_EXTENDED']));
    expect(changes.every((c) => !c.breaking)).toBe(true);
  });
});

describe('checkCompatibility', () => {
  const v2 = table({ id: { type: 'integer' }, email: { type: 'string' }, phone: { type: 'string' } }, ['id', 'email']);

  it('bump: none, patch, minor, major', () => {
    expect(checkCompatibility([v1], structuredClone(v1), opts()).bump).toBe('none');
    const described = table({ id: { type: 'integer', description: 'the key' }, email: { type: 'string' } }, ['id', 'email']);
    expect(checkCompatibility([v1], described, opts())).toMatchObject({ compatible: true, bump: 'patch' });
    expect(checkCompatibility([v1], v2, opts())).toMatchObject({ compatible: true, bump: 'minor' });
    expect(checkCompatibility([v1], table({ id: { type: 'integer' } }, ['id']), opts())).toMatchObject({ compatible: false, bump: 'major' });
    expect(checkCompatibility([v1], v2, opts({ mode: 'full' }))).toMatchObject({ compatible: false, bump: 'major' });
  });

  it('none lists changes but nothing breaks', () => {
    const r = checkCompatibility([v1], table({ id: { type: 'string' } }), opts({ mode: 'none' }));
    expect(r.compatible).toBe(true);
    expect(r.changes.length).toBeGreaterThan(0);
    expect(r.changes.every((c) => !c.breaking)).toBe(true);
  });

  it('non-transitive modes look at the latest version only; transitive ones at all, with `against`', () => {
    const a = table({ id: { type: 'integer' }, email: { type: 'string' } });
    const b = table({ id: { type: 'integer' }, email: { type: 'string' }, phone: { type: 'string' } });
    const c = table({ id: { type: 'integer' }, phone: { type: 'string' } });
    const next = table({ id: { type: 'integer' }, phone: { type: 'string' }, tier: { type: 'string' } });
    expect(checkCompatibility([a, b, c], next, opts()).compatible).toBe(true);
    const t = checkCompatibility([a, b, c], next, opts({ mode: 'backward_transitive' }));
    expect(t.compatible).toBe(false);
    expect(t.changes.filter((x) => x.breaking).map((x) => [x.against, x.path])).toEqual([
      [0, '/properties/email'],
      [1, '/properties/email'],
    ]);
    expect(t.bump).toBe('major');
  });

  it('hints at a rename under tessera, and still calls it breaking', () => {
    const renamed = table({ id: { type: 'integer' }, email_address: { type: 'string' } }, ['id', 'email_address']);
    const r = checkCompatibility([v1], renamed, opts());
    expect(r.compatible).toBe(false);
    expect(r.hints).toEqual(['looks like a rename of email to email_address']);
    expect(checkCompatibility([v1], renamed, opts({ profile: 'confluent' })).hints).toEqual([]);
    const retyped = table({ id: { type: 'integer' }, email_address: { type: 'integer' } });
    expect(checkCompatibility([v1], retyped, opts()).hints).toEqual([]);
  });

  it('an empty history is trivially compatible', () => {
    expect(checkCompatibility([], v1, opts())).toMatchObject({ compatible: true, changes: [], bump: 'none' });
  });
});

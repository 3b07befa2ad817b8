/**
 * Soundness of "compatible" verdicts for the other engine-fault families
 * (harness.ts): if/then/else under the same if, unions collapsed into one
 * schema, combinator keywords switched beside "type", unevaluatedProperties
 * with allOf (2020-12), and patternProperties beside properties and
 * additionalProperties. Fixed seeds, bounded runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertSound, type SchemaPair } from './harness.js';

const S = [{ type: 'string' }, { type: 'string', maxLength: 3 }, { type: 'string', maxLength: 6 }, { type: 'string', minLength: 2 }, { type: 'integer' }, { type: 'number' }, { type: 'null' }, { const: 'a' }, { enum: ['a', 'bb'] }, {}];
const pick = fc.constantFrom(...S);
const cond = fc.record({ if: fc.constantFrom({ minLength: 2 }, { maxLength: 4 }, { const: 'a' }), then: fc.option(pick, { nil: undefined }), else: fc.option(pick, { nil: undefined }) }).map((c) => {
  const o: Record<string, unknown> = { if: c.if };
  if (c.then) o.then = c.then;
  if (c.else) o.else = c.else;
  return o;
});
const combinatorPairs: fc.Arbitrary<SchemaPair> = fc.oneof(
  fc.tuple(cond, cond).map(([a, b]) => ({ old: a, new: { ...b, if: a.if } })),
  fc.tuple(fc.array(pick, { minLength: 1, maxLength: 3 }), pick, fc.constantFrom('anyOf', 'oneOf')).map(([bs, p, c]) => ({ old: { [c]: bs }, new: p })),
  fc.tuple(fc.array(pick, { minLength: 1, maxLength: 3 }), fc.constantFrom('anyOf', 'oneOf', 'allOf'), fc.constantFrom('anyOf', 'oneOf', 'allOf')).map(([bs, c1, c2]) => ({ old: { type: 'string', [c1]: bs }, new: { type: 'string', [c2]: bs } })),
);

const P = [{ type: 'string' }, { type: 'integer' }, { type: 'string', maxLength: 3 }];
const props = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom(...P), { maxKeys: 2 });
const uneval = fc.record({ here: props, branches: fc.array(props, { maxLength: 2 }), req: fc.subarray(['a', 'b']), ue: fc.constantFrom<unknown>(false, { type: 'string' }) }).map(({ here, branches, req, ue }) => {
  const s: Record<string, unknown> = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', unevaluatedProperties: ue };
  if (Object.keys(here).length) s.properties = here;
  if (branches.length) s.allOf = branches.map((p) => ({ properties: p }));
  if (req.length) s.required = req;
  return s;
});
const pats = fc.record({ pp: fc.dictionary(fc.constantFrom('^a', '^b', 'x$'), fc.constantFrom(...P), { maxKeys: 3 }), here: props, ap: fc.constantFrom<unknown>(undefined, true, false, { type: 'integer' }) }).map(({ pp, here, ap }) => {
  const s: Record<string, unknown> = { type: 'object' };
  if (Object.keys(pp).length) s.patternProperties = pp;
  if (Object.keys(here).length) s.properties = here;
  if (ap !== undefined) s.additionalProperties = ap;
  return s;
});
const unevaluatedPairs: fc.Arbitrary<SchemaPair> = fc.tuple(uneval, uneval).map(([a, b]) => ({ old: a, new: b }));
const patternPairs: fc.Arbitrary<SchemaPair> = fc.tuple(pats, pats).map(([a, b]) => ({ old: a, new: b }));

describe('property: compatible verdicts are sound for the other engine-fault families', () => {
  it.each([
    ['if/then/else, collapsed unions, combinator switches', combinatorPairs, 3101],
    ['unevaluatedProperties with allOf branches', unevaluatedPairs, 3102],
    ['patternProperties beside properties and additionalProperties', patternPairs, 3103],
  ] as const)('%s', (_name, pairs, seed) => {
    const r = assertSound(pairs as fc.Arbitrary<SchemaPair>, { seed, runs: 300, instancesPerPair: 50 });
    expect(r.pairs).toBe(300);
    expect(r.compatible).toBeGreaterThan(30);
  });
});

/**
 * Soundness of "compatible" verdicts for two families of changes, judged by
 * ajv on generated instances (harness.ts): `required` sets (with properties
 * declared at the same level, in allOf branches, or nowhere) and `oneOf`
 * branch lists (overlapping and disjoint branches). Fixed seeds, bounded runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../../src/core/diff/index.js';
import { assertSound, findUnsoundVerdict, type SchemaPair } from './harness.js';

type Obj = Record<string, unknown>;

const NAMES = ['a', 'b', 'c'];
const PROP_SCHEMAS: Obj[] = [{ type: 'string' }, { type: 'integer' }, { type: 'string', maxLength: 3 }, {}];

const subset = <T>(xs: T[]): fc.Arbitrary<T[]> => fc.subarray(xs);

/** A small object schema: some properties here, some in allOf branches, a required set that may name undeclared keys. */
const objectSchema: fc.Arbitrary<Obj> = fc
  .record({
    here: fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(...PROP_SCHEMAS), { maxKeys: 3 }),
    inAllOf: fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(...PROP_SCHEMAS), { maxKeys: 2 }),
    required: subset([...NAMES, 'd']),
    map: fc.constantFrom<unknown>(undefined, undefined, { type: 'string' }),
  })
  .map(({ here, inAllOf, required, map }) => {
    const s: Obj = { type: 'object' };
    if (Object.keys(here).length > 0) s.properties = here;
    if (Object.keys(inAllOf).length > 0) s.allOf = [{ properties: inAllOf }];
    if (required.length > 0) s.required = required;
    if (map !== undefined) s.additionalProperties = map;
    return s;
  });

function clone(s: Obj): Obj {
  return structuredClone(s);
}

/** One edit of the kind the required family is about. */
const requiredEdit: fc.Arbitrary<(s: Obj) => Obj> = fc.oneof(
  fc.constantFrom(...NAMES, 'd').map((n) => (s: Obj) => {
    const t = clone(s);
    const req = new Set((t.required as string[] | undefined) ?? []);
    if (req.has(n)) req.delete(n);
    else req.add(n);
    if (req.size > 0) t.required = [...req];
    else delete t.required;
    return t;
  }),
  fc.constant((s: Obj) => {
    // Move the same-level properties into an allOf branch (same meaning under the open model).
    const t = clone(s);
    if (!t.properties) return t;
    t.allOf = [...((t.allOf as Obj[] | undefined) ?? []), { properties: t.properties }];
    delete t.properties;
    return t;
  }),
  fc.constant((s: Obj) => {
    // Put a required entry in its own allOf branch.
    const t = clone(s);
    t.allOf = [...((t.allOf as Obj[] | undefined) ?? []), { required: ['b'] }];
    return t;
  }),
  fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...PROP_SCHEMAS)).map(([n, p]) => (s: Obj) => {
    const t = clone(s);
    const props = { ...((t.properties as Obj | undefined) ?? {}) };
    if (n in props) delete props[n];
    else props[n] = p;
    if (Object.keys(props).length > 0) t.properties = props;
    else delete t.properties;
    return t;
  }),
);

const edits = (edit: fc.Arbitrary<(s: Obj) => Obj>): fc.Arbitrary<Array<(s: Obj) => Obj>> => fc.array(edit, { minLength: 1, maxLength: 2 });

const requiredPairs: fc.Arbitrary<SchemaPair> = fc.tuple(objectSchema, edits(requiredEdit)).map(([old, es]) => ({ old: old as JsonSchema, new: es.reduce((s, e) => e(s), old) as JsonSchema }));

const BRANCHES: Obj[] = [
  { type: 'integer' },
  { type: 'number' },
  { type: 'string' },
  { type: 'string', maxLength: 3 },
  { type: 'string', maxLength: 6 },
  { type: 'string', minLength: 5 },
  { type: 'null' },
  { type: 'boolean' },
  { const: 'a' },
  { const: 1 },
  { enum: ['a', 'b'] },
  { type: 'object', properties: { k: { const: 'a' } }, required: ['k'] },
  { type: 'object', properties: { k: { const: 'b' }, n: { type: 'integer' } }, required: ['k'] },
  { type: 'object', properties: { k: { type: 'string' } } },
];

const branchList = fc.uniqueArray(fc.integer({ min: 0, max: BRANCHES.length - 1 }), { minLength: 1, maxLength: 3 }).map((ix) => ix.map((i) => clone(BRANCHES[i]!)));

const oneOfEdit: fc.Arbitrary<(s: Obj) => Obj> = fc.oneof(
  fc.integer({ min: 0, max: BRANCHES.length - 1 }).map((i) => (s: Obj) => ({ ...s, oneOf: [...(s.oneOf as Obj[]), clone(BRANCHES[i]!)] })),
  fc.nat().map((i) => (s: Obj) => {
    const list = [...(s.oneOf as Obj[])];
    if (list.length > 1) list.splice(i % list.length, 1);
    return { ...s, oneOf: list };
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 8 })).map(([i, n]) => (s: Obj) => {
    // Widen or narrow a string branch.
    const list = (s.oneOf as Obj[]).map(clone);
    const b = list[i % list.length]!;
    if (b.type === 'string') {
      if ('minLength' in b) b.minLength = n;
      else b.maxLength = n;
    }
    return { ...s, oneOf: list };
  }),
  fc.nat().map((i) => (s: Obj) => {
    const list = [...(s.oneOf as Obj[])];
    list.push(list.splice(i % list.length, 1)[0]!);
    return { ...s, oneOf: list };
  }),
  // Collapse the union into one branch, or into a plain schema.
  fc.nat().map((i) => (s: Obj) => clone((s.oneOf as Obj[])[i % (s.oneOf as Obj[]).length]!)),
  fc.constant((s: Obj) => ({ anyOf: s.oneOf })),
);

const oneOfPairs: fc.Arbitrary<SchemaPair> = fc.tuple(branchList, edits(oneOfEdit)).map(([branches, es]) => {
  const old: Obj = { oneOf: branches };
  let next: Obj = old;
  for (const e of es) next = next.oneOf ? e(next) : next;
  return { old: old as JsonSchema, new: next as JsonSchema };
});

describe('property: compatible verdicts are sound (ajv judges generated instances)', () => {
  it('required sets, with properties at the same level, in allOf branches, on maps or nowhere', () => {
    const r = assertSound(requiredPairs, { seed: 20261206, runs: 200, instancesPerPair: 50 });
    // Not vacuous: many pairs are judged compatible in some direction, so the check had something to refute.
    expect(r.pairs).toBe(200);
    expect(r.compatible).toBeGreaterThan(50);
  });

  it('oneOf branch lists with overlapping and disjoint branches', () => {
    const r = assertSound(oneOfPairs, { seed: 6121, runs: 200, instancesPerPair: 50 });
    expect(r.pairs).toBe(200);
    expect(r.compatible).toBeGreaterThan(50);
  });

  it('the harness finds the counterexamples of the faults it was written for', () => {
    // If the engine called these compatible, the harness must say why not.
    const overlap = { old: { oneOf: [{ type: 'integer' }] }, new: { oneOf: [{ type: 'integer' }, { type: 'number' }] } };
    const unsound = findUnsoundVerdict(overlap, [1, 'x'], { mode: 'backward', contentModel: 'open', policy: 'strict', profile: 'confluent' });
    expect(unsound).toMatchObject({ direction: 'backward', instance: 1 });
    const required = { old: { type: 'object' }, new: { type: 'object', required: ['a'] } };
    const confluent = { mode: 'backward', contentModel: 'open', policy: 'strict', profile: 'confluent' } as const;
    expect(findUnsoundVerdict(required, [{ a: 1 }, {}], confluent)).toMatchObject({ direction: 'backward', instance: {} });
    // The tessera profile judges both; nothing to refute.
    expect(findUnsoundVerdict(required, [{}, { a: 1 }])).toBeUndefined();
    expect(findUnsoundVerdict(overlap, [1, 'x'])).toBeUndefined();
  });
});

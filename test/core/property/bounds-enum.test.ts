/**
 * Property-based soundness of the engine's "compatible" verdicts, families
 * `bounds` (numeric and string-length bounds, draft-04 boolean forms
 * included) and `enum/const` (value lists, const, type, and mixes of them).
 *
 * For each generated (old, new) pair, candidate instances are drawn from a
 * small mixed-type pool plus numbers around every numeric bound and strings
 * of lengths around every length bound; ajv (an independent validator)
 * decides which schema accepts which instance. Whenever the engine calls the
 * pair compatible under backward, no instance may be accepted by old and
 * rejected by new; under forward, the same with the pair swapped.
 *
 * The soundness check and validation are the shared harness's
 * (harness.ts: draft-04 forms are validated through their draft-07
 * translation); the instances are this file's, aimed at bounds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../../src/core/diff/index.js';
import { compileFor, describeCounterexample, findUnsoundVerdict } from './harness.js';

type Schema = Record<string, unknown>;

const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';
const SEED = 20261206;
const RUNS = 200;

// ------------------------------------------------------------ instances

const POOL: unknown[] = [0, 1, -1, 2, 2.5, 5, 10, -3.5, 'a', 'b', 'c', '', 'ab', 'abcd', true, false, null, [], ['a'], {}, { a: 1 }];
const NUMERIC_KEYS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];

/** Candidate instances for a pair: the pool, numbers around every numeric bound, strings around every length bound, every listed value. */
export function instancesFor(...schemas: Schema[]): unknown[] {
  const out: unknown[] = [...POOL];
  for (const s of schemas) {
    for (const k of NUMERIC_KEYS) {
      const b = s[k];
      if (typeof b !== 'number') continue;
      for (const d of [-1, -0.5, -0.25, 0, 0.25, 0.5, 1]) out.push(b + d);
      out.push(Math.floor(b), Math.ceil(b), Math.floor(b) - 1, Math.ceil(b) + 1);
    }
    for (const k of ['minLength', 'maxLength']) {
      const b = s[k];
      if (typeof b !== 'number') continue;
      for (const n of [b - 1, b, b + 1]) if (n >= 0) out.push('x'.repeat(n), 'é'.repeat(n));
    }
    if (Array.isArray(s.enum)) out.push(...s.enum);
    if ('const' in s) out.push(s.const);
  }
  return out;
}

/** The shared soundness check (harness.ts) over this file's instances: throws with the counterexample. */
function checkPair([oldS, newS]: [Schema, Schema]): void {
  const found = findUnsoundVerdict({ old: oldS as JsonSchema, new: newS as JsonSchema }, instancesFor(oldS, newS));
  if (found) throw new Error(describeCounterexample(found));
}

// ------------------------------------------------------------ schema generators

const boundValue = fc.constantFrom(-2, 0, 1, 2, 2.5, 5, 10);
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 2 });

function defined(o: Record<string, unknown>): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** Numeric bounds, draft-07+ or draft-04 boolean forms, typed (number / integer) or not (then other kinds are accepted too). */
function numericSchema(typed: boolean, draft04: boolean): fc.Arbitrary<Schema> {
  const type = typed ? fc.constantFrom<string | undefined>('number', 'integer') : fc.constant(undefined);
  const flag = draft04 ? maybe(fc.boolean()) : maybe(boundValue);
  return fc
    .record({ type, minimum: maybe(boundValue), maximum: maybe(boundValue), exclusiveMinimum: flag, exclusiveMaximum: flag })
    .map((r) => (draft04 ? { $schema: DRAFT_04, ...defined(r) } : defined(r)));
}

const numericPair: fc.Arbitrary<[Schema, Schema]> = fc
  .tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean())
  .chain(([typedOld, typedNew, d4old, d4new]) => fc.tuple(numericSchema(typedOld, d4old), numericSchema(typedNew, d4new)));

const stringLength: fc.Arbitrary<Schema> = fc
  .record({ minLength: maybe(fc.integer({ min: 0, max: 4 })), maxLength: maybe(fc.integer({ min: 0, max: 4 })) })
  .map((r) => ({ type: 'string', ...defined(r) }));

const bounds: fc.Arbitrary<[Schema, Schema]> = fc.oneof(numericPair, numericPair, fc.tuple(stringLength, stringLength));

const poolValue = fc.constantFrom(...POOL);
const typeName = fc.constantFrom('string', 'number', 'integer', 'boolean', 'null', 'array', 'object');

/** Value lists and types: const, enum (possibly empty, possibly with duplicates), type, type + enum, a bounded type. */
const valueSchema: fc.Arbitrary<Schema> = fc.oneof(
  poolValue.map((v) => ({ const: v })),
  fc.array(poolValue, { maxLength: 5 }).map((e) => ({ enum: e })),
  typeName.map((t) => ({ type: t })),
  fc.uniqueArray(typeName, { minLength: 1, maxLength: 3 }).map((t) => ({ type: t })),
  fc.tuple(fc.constantFrom('string', 'number', 'integer'), fc.array(poolValue, { minLength: 1, maxLength: 4 })).map(([t, e]) => ({ type: t, enum: e })),
  fc.tuple(fc.constantFrom('string', 'number'), poolValue).map(([t, c]) => ({ type: t, const: c })),
  fc.integer({ min: 0, max: 2 }).map((n) => ({ type: 'string', maxLength: n })),
  fc.integer({ min: 0, max: 2 }).map((n) => ({ maxLength: n })),
  boundValue.map((m) => ({ type: 'number', minimum: m })),
);

const enumConst: fc.Arbitrary<[Schema, Schema]> = fc.tuple(valueSchema, valueSchema);

describe('property: compatible verdicts are sound (ajv judges generated instances)', () => {
  it('family bounds: numeric bounds (exclusive and draft-04 boolean forms) and string lengths', () => {
    fc.assert(fc.property(bounds, checkPair), { seed: SEED, numRuns: RUNS });
  });

  it('family enum/const: const, enum, type and their mixes', () => {
    fc.assert(fc.property(enumConst, checkPair), { seed: SEED + 1, numRuns: RUNS });
  });

  it('the check can fail: a wrong "compatible" is caught', () => {
    // A deliberately unsound verdict (maximum 10 -> 5 called compatible) must be found by the instances.
    const oldS = { type: 'number', maximum: 10 };
    const newS = { type: 'number', maximum: 5 };
    const accOld = compileFor(oldS);
    const accNew = compileFor(newS);
    expect(instancesFor(oldS, newS).some((i) => accOld(i) && !accNew(i))).toBe(true);
    // Judged as if the engine had called it compatible, the instances contradict it.
    const pair = { old: oldS, new: newS };
    expect(instancesFor(oldS, newS).some((i) => compileFor(pair.old)(i) && !compileFor(pair.new)(i))).toBe(true);
    expect(findUnsoundVerdict(pair, instancesFor(oldS, newS))).toBeUndefined(); // the engine says breaking: nothing to contradict
    expect(findUnsoundVerdict({ old: newS, new: oldS }, instancesFor(oldS, newS))).toBeUndefined(); // the widening: compatible and sound
  });
});

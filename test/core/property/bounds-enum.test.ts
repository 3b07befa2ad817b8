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
 * ajv 8 has no draft-04 mode and ajv-draft-04 is not installed, so a
 * draft-04 schema (minimum + exclusiveMinimum: true) is validated through
 * its draft-07 translation (exclusiveMinimum: <number>). That translation is
 * the specification's own (draft-06 release notes), not the engine's code.
 *
 * Self-contained on purpose: the shared harness (test/core/property/
 * harness.ts) lands from another branch; these helpers are meant to merge
 * into it.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCompatibility, type DiffOptions, type JsonSchema } from '../../../src/core/diff/index.js';

type Schema = Record<string, unknown>;
type Direction = 'backward' | 'forward';

const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';
const SEED = 20261206;
const RUNS = 200;

// ------------------------------------------------------------ validation (ajv)

// validateSchema off: ajv's bundled meta-schema refuses duplicate enum values, which the specification allows.
const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
const compiled = new Map<string, ValidateFunction>();

/** The draft-07 schema with the same meaning: draft-04's boolean exclusive bounds become numbers. */
export function asDraft07(schema: Schema): Schema {
  // ajv refuses to compile an empty enum although the specification allows it: it accepts nothing, like "not": {}.
  if (Array.isArray(schema.enum) && schema.enum.length === 0) {
    const { enum: _, ...rest } = schema;
    return asDraft07({ ...rest, not: {} });
  }
  if (schema.$schema !== DRAFT_04) return schema;
  const out: Schema = { ...schema };
  delete out.$schema;
  for (const [inc, exc] of [['minimum', 'exclusiveMinimum'], ['maximum', 'exclusiveMaximum']] as const) {
    if (out[exc] === true && typeof out[inc] === 'number') {
      out[exc] = out[inc];
      delete out[inc];
    } else if (typeof out[exc] === 'boolean') delete out[exc];
  }
  return out;
}

export function validator(schema: Schema): (v: unknown) => boolean {
  const key = JSON.stringify(schema);
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile(asDraft07(schema));
    compiled.set(key, fn);
  }
  return (v) => fn(v) as boolean;
}

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

export interface Violation {
  direction: Direction;
  old: Schema;
  new: Schema;
  instance: unknown;
  rules: string[];
}

/**
 * The first instance that contradicts a "compatible" verdict in one
 * direction: accepted by the side that must be covered, rejected by the
 * other. Undefined when the engine says breaking (nothing to check) or no
 * instance contradicts it.
 */
export function soundnessViolation(oldS: Schema, newS: Schema, direction: Direction, instances: unknown[]): Violation | undefined {
  const opts: DiffOptions = { mode: direction, contentModel: 'open', policy: 'strict', profile: 'tessera' };
  const report = checkCompatibility([oldS as JsonSchema], newS as JsonSchema, opts);
  if (!report.compatible) return undefined;
  const [from, to] = direction === 'backward' ? [oldS, newS] : [newS, oldS];
  const accFrom = validator(from);
  const accTo = validator(to);
  for (const instance of instances) {
    if (accFrom(instance) && !accTo(instance)) return { direction, old: oldS, new: newS, instance, rules: report.changes.map((c) => c.rule) };
  }
  return undefined;
}

function checkPair([oldS, newS]: [Schema, Schema]): void {
  const instances = instancesFor(oldS, newS);
  for (const direction of ['backward', 'forward'] as const) {
    const v = soundnessViolation(oldS, newS, direction, instances);
    if (v) {
      throw new Error(
        `engine says compatible (${direction}) but ${JSON.stringify(v.instance)} is accepted by the ${direction === 'backward' ? 'old' : 'new'} schema and rejected by the other\n` +
          `  old:   ${JSON.stringify(v.old)}\n  new:   ${JSON.stringify(v.new)}\n  rules: ${v.rules.join(', ') || '(none)'}`,
      );
    }
  }
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
    const accOld = validator(oldS);
    const accNew = validator(newS);
    expect(instancesFor(oldS, newS).some((i) => accOld(i) && !accNew(i))).toBe(true);
    expect(soundnessViolation(oldS, newS, 'backward', instancesFor(oldS, newS))).toBeUndefined(); // the engine says breaking: nothing to check
    expect(soundnessViolation(newS, oldS, 'backward', instancesFor(oldS, newS))).toBeUndefined(); // compatible and indeed sound
  });
});

/**
 * Property-based soundness check for the diff engine, reusable by every
 * schema family: a family generates (old, new) schema pairs, the harness
 * generates candidate instances (fast-check JSON values biased toward the
 * schemas' shapes, plus values read off the schemas), ajv judges each one,
 * and the check fails when the engine says "compatible" although some
 * instance is accepted by the side that must be covered and rejected by the
 * other. Only "compatible" verdicts are checked: the engine is allowed to be
 * conservative ("breaking" without a counterexample), never optimistic.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { checkCompatibility, type DiffOptions, type JsonSchema } from '../../../src/core/diff/index.js';

export type Direction = 'backward' | 'forward';

export interface SchemaPair {
  old: JsonSchema;
  new: JsonSchema;
}

export interface Counterexample {
  direction: Direction;
  instance: unknown;
  old: JsonSchema;
  new: JsonSchema;
  /** What the engine reported (rule at path) for that direction. */
  changes: string[];
}

/** Options the property tests judge under: plain JSON Schema semantics, which is what ajv implements. */
export const OPEN_STRICT: DiffOptions = { mode: 'backward', contentModel: 'open', policy: 'strict', profile: 'tessera' };

// validateSchema off: ajv's bundled meta-schemas refuse duplicate enum values, which draft-06/07 allow.
const settings = { strict: false, allErrors: false, validateFormats: false, validateSchema: false } as const;
const validators = {
  7: new Ajv(settings),
  2019: new Ajv2019(settings),
  2020: new Ajv2020(settings),
};

const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

/**
 * The same schema in a form ajv 8 compiles with the same meaning. ajv has no
 * draft-04 mode (and ajv-draft-04 is not installed), so draft-04's boolean
 * exclusive bounds become draft-07's numbers (the specification's own
 * translation, draft-06 release notes); an empty enum, which ajv refuses,
 * accepts nothing, like `not: {}`. Top level only: the families using it are flat.
 */
export function asValidatable(schema: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(schema.enum) && schema.enum.length === 0) {
    const { enum: _, ...rest } = schema;
    return asValidatable({ ...rest, not: {} });
  }
  if (schema.$schema !== DRAFT_04) return schema;
  const out: Record<string, unknown> = { ...schema };
  delete out.$schema;
  for (const [inc, exc] of [['minimum', 'exclusiveMinimum'], ['maximum', 'exclusiveMaximum']] as const) {
    if (out[exc] === true && typeof out[inc] === 'number') {
      out[exc] = out[inc];
      delete out[inc];
    } else if (typeof out[exc] === 'boolean') delete out[exc];
  }
  return out;
}

/** The validator for the draft a schema declares ($schema), draft-07 when silent. */
export function compileFor(schema: JsonSchema): ValidateFunction {
  const s = typeof schema === 'object' && typeof schema.$schema === 'string' ? schema.$schema : '';
  const ajv = s.includes('2020-12') ? validators[2020] : s.includes('2019-09') ? validators[2019] : validators[7];
  // A schema object is compiled once per identity; structuredClone keeps ajv's cache from aliasing edited copies.
  return ajv.compile(typeof schema === 'object' ? asValidatable(structuredClone(schema)) : schema);
}

/** Property names, const/enum values and string length bounds found anywhere in the schemas. */
export function shapesOf(schemas: JsonSchema[]): { names: string[]; values: unknown[]; lengths: number[] } {
  const names = new Set<string>();
  const values: unknown[] = [];
  const lengths = new Set<number>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if (typeof o.properties === 'object' && o.properties !== null) for (const k of Object.keys(o.properties)) names.add(k);
    if (Array.isArray(o.required)) for (const k of o.required) if (typeof k === 'string') names.add(k);
    if ('const' in o) values.push(o.const);
    if (Array.isArray(o.enum)) values.push(...(o.enum as unknown[]));
    for (const k of ['maxLength', 'minLength'] as const) if (typeof o[k] === 'number') lengths.add(o[k] as number);
    for (const k of Object.keys(o)) walk(o[k]);
  };
  for (const s of schemas) walk(s);
  return { names: [...names], values, lengths: [...lengths] };
}

/** Candidate instances for a pair: generic JSON plus values and objects shaped like the schemas. */
export function instanceArbitrary(schemas: JsonSchema[]): fc.Arbitrary<unknown> {
  const { names, values, lengths } = shapesOf(schemas);
  const strings = [...new Set([0, 1, ...lengths.flatMap((n) => [n - 1, n, n + 1])].filter((n) => n >= 0))].map((n) => 'x'.repeat(n));
  const scalar = fc.oneof(
    fc.constantFrom<unknown>(0, 1, -1, 1.5, 2, '', 'a', true, false, null, ...strings, ...values),
    fc.integer({ min: -3, max: 3 }),
    fc.string({ maxLength: 12 }),
  );
  const value = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
  const keys = names.length > 0 ? fc.constantFrom(...names, 'zz') : fc.constant('zz');
  const shaped = fc.dictionary(keys, value, { maxKeys: Math.min(names.length + 1, 5) });
  return fc.oneof({ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 2, arbitrary: scalar }, { weight: 4, arbitrary: shaped });
}

/** Instances to test one pair with, drawn from a seeded stream so a failure replays. */
export function instancesFor(pair: SchemaPair, count: number, seed: number): unknown[] {
  return fc.sample(instanceArbitrary([pair.old, pair.new]), { seed, numRuns: count });
}

/**
 * The soundness check for one pair and one set of instances: for each
 * direction the engine calls compatible, the first instance that the covered
 * side accepts and the other rejects, or undefined when there is none.
 */
export function findUnsoundVerdict(pair: SchemaPair, instances: unknown[], opts: DiffOptions = OPEN_STRICT): Counterexample | undefined {
  const vOld = compileFor(pair.old);
  const vNew = compileFor(pair.new);
  for (const direction of ['backward', 'forward'] as const) {
    const report = checkCompatibility([pair.old], pair.new, { ...opts, mode: direction });
    if (!report.compatible) continue;
    // backward: new must accept what old accepted; forward: the reverse.
    const [covered, covering] = direction === 'backward' ? [vOld, vNew] : [vNew, vOld];
    for (const instance of instances) {
      if (covered(instance) && !covering(instance)) {
        return { direction, instance, old: pair.old, new: pair.new, changes: report.changes.map((c) => `${c.rule} at ${c.path || '/'}`) };
      }
    }
  }
  return undefined;
}

export function describeCounterexample(c: Counterexample): string {
  return [
    `engine says compatible under ${c.direction}, but this instance is accepted by the ${c.direction === 'backward' ? 'old' : 'new'} schema and rejected by the ${c.direction === 'backward' ? 'new' : 'old'} one:`,
    `  instance: ${JSON.stringify(c.instance)}`,
    `  old: ${JSON.stringify(c.old)}`,
    `  new: ${JSON.stringify(c.new)}`,
    `  changes: ${c.changes.join(', ') || '(none)'}`,
  ].join('\n');
}

export interface SoundnessRun {
  seed: number;
  runs: number;
  instancesPerPair: number;
  opts?: DiffOptions;
}

/**
 * Runs the property over a family of pairs; throws with the (shrunk)
 * counterexample printed. Returns how many pairs were judged compatible in
 * each direction, so a test can check the family is not vacuous.
 */
export function assertSound(pairs: fc.Arbitrary<SchemaPair>, run: SoundnessRun): { pairs: number; compatible: number } {
  let compatible = 0;
  let total = 0;
  fc.assert(
    fc.property(pairs, fc.integer({ min: 0, max: 2 ** 30 }), (pair, instanceSeed) => {
      total++;
      const opts = run.opts ?? OPEN_STRICT;
      if (checkCompatibility([pair.old], pair.new, opts).compatible || checkCompatibility([pair.old], pair.new, { ...opts, mode: 'forward' }).compatible) compatible++;
      const found = findUnsoundVerdict(pair, instancesFor(pair, run.instancesPerPair, instanceSeed), opts);
      if (found) throw new Error(describeCounterexample(found));
    }),
    { seed: run.seed, numRuns: run.runs, endOnFailure: true },
  );
  return { pairs: total, compatible };
}

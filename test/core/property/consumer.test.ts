/**
 * Property-based soundness of the consumer mode. A table contract (a flat
 * object of typed columns, NOT NULL as `required`) is mutated at random;
 * when the engine says "compatible under consumer", no generated counterexample
 * may exist:
 *  - every column of the old contract is still a column of the new one (an
 *    old query selects it by name), and
 *  - every new row, read by an old query (projected onto the old columns),
 *    satisfies the old contract: ajv validates it against the old schema.
 * Fixed seed, bounded runs: the same cases on every machine.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { checkCompatibility } from '../../../src/core/diff/index.js';

type Column = Record<string, unknown>;
interface Table {
  type: 'object';
  properties: Record<string, Column>;
  required: string[];
}

const NAMES = ['a', 'b', 'c', 'd', 'e'];
const WORDS = ['x', 'y', 'z', 'xy', 'xyz', 'xyzw'];

const column: fc.Arbitrary<Column> = fc.oneof(
  fc.record({ type: fc.constant('integer'), minimum: fc.option(fc.integer({ min: -2, max: 3 }), { nil: undefined }), maximum: fc.option(fc.integer({ min: 2, max: 6 }), { nil: undefined }) }),
  fc.record({ type: fc.constant('number'), maximum: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }) }),
  fc.record({ type: fc.constant('string'), maxLength: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }) }),
  fc.record({ type: fc.constant('string'), enum: fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant('boolean') }),
).map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)));

const table: fc.Arbitrary<Table> = fc
  .uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 4 })
  .chain((names) =>
    fc.tuple(fc.array(column, { minLength: names.length, maxLength: names.length }), fc.subarray(names)).map(([cols, required]) => ({
      type: 'object' as const,
      properties: Object.fromEntries(names.map((n, i) => [n, cols[i]!])),
      required: [...required].sort(),
    })),
  );

/**
 * One edit a producer might make: drop, add or replace a column, toggle NOT
 * NULL, or tweak one keyword of a column (the near misses where a wrong
 * verdict hides: one bound moved by one, one enum value more or less, integer
 * <-> number).
 */
const edit = fc.tuple(fc.constantFrom('drop', 'add', 'replace', 'toggle-required', 'tweak', 'tweak', 'tweak'), fc.constantFrom(...NAMES), column, fc.nat({ max: 9 }));

const TWEAKS: ReadonlyArray<(c: Column) => Column | undefined> = [
  (c) => (typeof c['maxLength'] === 'number' ? { ...c, maxLength: (c['maxLength'] as number) + 1 } : undefined),
  (c) => (typeof c['maxLength'] === 'number' && (c['maxLength'] as number) > 1 ? { ...c, maxLength: (c['maxLength'] as number) - 1 } : undefined),
  (c) => (c['type'] === 'string' && c['enum'] === undefined && c['maxLength'] === undefined ? { ...c, maxLength: 2 } : undefined),
  (c) => (typeof c['maxLength'] === 'number' ? Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'maxLength')) : undefined),
  (c) => (typeof c['maximum'] === 'number' ? { ...c, maximum: (c['maximum'] as number) + 1 } : undefined),
  (c) => (typeof c['minimum'] === 'number' ? { ...c, minimum: (c['minimum'] as number) - 1 } : undefined),
  (c) => (typeof c['minimum'] === 'number' ? { ...c, minimum: (c['minimum'] as number) + 1 } : undefined),
  (c) => (Array.isArray(c['enum']) ? { ...c, enum: [...new Set([...(c['enum'] as string[]), 'xyzw'])] } : undefined),
  (c) => (Array.isArray(c['enum']) && (c['enum'] as string[]).length > 1 ? { ...c, enum: (c['enum'] as string[]).slice(1) } : undefined),
  (c) => (c['type'] === 'integer' ? { ...c, type: 'number' } : c['type'] === 'number' ? { ...c, type: 'integer' } : undefined),
];

function applyEdits(t: Table, edits: ReadonlyArray<readonly [string, string, Column, number?]>): Table {
  const next: Table = { type: 'object', properties: { ...t.properties }, required: [...t.required] };
  for (const [op, name, col, pick = 0] of edits) {
    if (op === 'tweak') {
      const current = next.properties[name];
      if (!current) continue;
      // The first applicable tweak from the drawn one on.
      const start = pick % TWEAKS.length;
      for (let i = 0; i < TWEAKS.length; i++) {
        const tweaked = TWEAKS[(start + i) % TWEAKS.length]!(current);
        if (tweaked) {
          next.properties[name] = tweaked;
          break;
        }
      }
    } else if (op === 'drop') {
      delete next.properties[name];
      next.required = next.required.filter((r) => r !== name);
    } else if (op === 'add' || op === 'replace') {
      next.properties[name] = col;
    } else if (name in next.properties) {
      next.required = next.required.includes(name) ? next.required.filter((r) => r !== name) : [...next.required, name].sort();
    }
  }
  return next;
}

/** Candidate values for one column: around every bound and length, of every type. */
const VALUES: unknown[] = [-3, -2, 0, 1, 2, 2.5, 3, 5, 6, 7, '', ...WORDS, true, false];

/** Rows of a table: each column present (or NULL, when not required) with a value from the pool. */
function rowOf(t: Table): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.keys(t.properties).map((name) => {
    const value = fc.constantFrom(...VALUES);
    return [name, t.required.includes(name) ? value : fc.option(value, { nil: undefined })] as const;
  });
  return fc.record(Object.fromEntries(entries)).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
}

const ajv = new Ajv({ strict: false, allErrors: false });

describe('consumer mode, property-based (fixed seed)', () => {
  it('a compatible verdict has no counterexample among generated rows', () => {
    let compatibleCases = 0;
    let rowsChecked = 0;
    fc.assert(
      fc.property(table, fc.array(edit, { minLength: 1, maxLength: 3 }), fc.gen(), (old, edits, g) => {
        const next = applyEdits(old, edits);
        if (Object.keys(next.properties).length === 0) return;
        const report = checkCompatibility([old], next, { mode: 'consumer', contentModel: 'closed', policy: 'strict', profile: 'tessera' });
        if (!report.compatible) return;
        compatibleCases++;
        const dropped = Object.keys(old.properties).filter((n) => !(n in next.properties));
        expect(dropped, `compatible, yet columns were dropped: ${JSON.stringify({ old, next })}`).toEqual([]);
        const validNew = ajv.compile(next);
        const validOld = ajv.compile(old);
        for (const row of g(() => fc.array(rowOf(next), { minLength: 100, maxLength: 100 }))) {
          if (!validNew(row)) continue;
          rowsChecked++;
          const seen = Object.fromEntries(Object.entries(row).filter(([k]) => k in old.properties));
          expect(validOld(seen), `an old reader rejects a new row: ${JSON.stringify({ old, next, row: seen, changes: report.changes.map((c) => c.rule) })}`).toBe(true);
        }
      }),
      // endOnFailure: shrinking 100-row arrays takes minutes; the assertion message already names the whole case.
      { seed: 20261206, numRuns: 400, endOnFailure: true },
    );
    // The property must have been exercised, not vacuously true.
    expect(compatibleCases).toBeGreaterThan(40);
    expect(rowsChecked).toBeGreaterThan(1000);
  });

  it('a dropped column is always reported breaking, whatever else the table holds', () => {
    fc.assert(
      fc.property(table, fc.constantFrom(...NAMES), (old, name) => {
        if (!(name in old.properties) || Object.keys(old.properties).length < 2) return;
        const next = applyEdits(old, [['drop', name, {}]]);
        const report = checkCompatibility([old], next, { mode: 'consumer', contentModel: 'closed', policy: 'strict', profile: 'tessera' });
        expect(report.compatible).toBe(false);
      }),
      { seed: 7, numRuns: 200, endOnFailure: true },
    );
  });
});


/**
 * Property: on random record schemas and random evolutions of them, the
 * avro.* rules break a direction exactly when avsc's resolver refuses it
 * (the walk explains the verdict, it never contradicts it). Fixed seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeAvroPair, loadAvroValue } from '../../src/core/avro/index.js';

type Json = Record<string, unknown>;
const SEED = 20261207;
const RUNS = 400;

const PRIMS = ['int', 'long', 'float', 'double', 'string', 'bytes', 'boolean'] as const;

/** A field type: a primitive, an enum, a nullable union, an array or a small nested record. */
function typeArb(depth: number): fc.Arbitrary<unknown> {
  const leaves: Array<fc.Arbitrary<unknown>> = [
    fc.constantFrom(...PRIMS),
    fc.record({ symbols: fc.uniqueArray(fc.constantFrom('A', 'B', 'C', 'D'), { minLength: 1, maxLength: 4 }), def: fc.boolean() }).map(({ symbols, def }) => ({ type: 'enum', name: 'E', symbols, ...(def ? { default: symbols[0] } : {}) })),
    fc.constantFrom(...PRIMS).map((p) => ['null', p]),
    fc.uniqueArray(fc.constantFrom(...PRIMS), { minLength: 2, maxLength: 3 }),
    fc.constantFrom(...PRIMS).map((p) => ({ type: 'array', items: p })),
    fc.constantFrom(16, 32).map((size) => ({ type: 'fixed', name: 'F', size })),
  ];
  if (depth > 0) leaves.push(fieldsArb(depth - 1).map((fields) => ({ type: 'record', name: 'Inner', fields })));
  return fc.oneof(...leaves);
}

const defaultFor = (t: unknown): unknown => {
  if (Array.isArray(t)) return t[0] === 'null' ? null : defaultFor(t[0]);
  if (typeof t === 'string') return { int: 0, long: 0, float: 0, double: 0, string: '', bytes: '', boolean: false }[t];
  const o = t as Json;
  if (o.type === 'enum') return (o.symbols as string[])[0];
  if (o.type === 'array') return [];
  if (o.type === 'fixed') return '\u0000'.repeat(o.size as number);
  return undefined;
};

function fieldsArb(depth: number): fc.Arbitrary<Json[]> {
  return fc
    .uniqueArray(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd', 'e'), type: typeArb(depth), def: fc.boolean() }), { minLength: 1, maxLength: 4, selector: (f) => f.name })
    .map((fs) =>
      // A record type may be defined only once per schema: nested ones get unique names.
      fs.map((f, i) => {
        const type = rename(f.type, i);
        const d = f.def ? defaultFor(type) : undefined;
        return { name: f.name, type, ...(d !== undefined ? { default: d } : {}) };
      }),
    );
}

let counter = 0;
function rename(t: unknown, i: number): unknown {
  if (typeof t !== 'object' || t === null || Array.isArray(t)) return t;
  const o = t as Json;
  if (o.type === 'enum' || o.type === 'fixed' || o.type === 'record') return { ...o, name: `${String(o.name)}${i}_${counter++}`, ...(o.type === 'record' ? { fields: (o.fields as Json[]).map((f, j) => ({ ...f, type: rename(f.type, j) })) } : {}) };
  return o;
}

type Mutation = (fields: Json[], r: number) => Json[];
const pick = <T>(xs: T[], r: number): T => xs[r % xs.length]!;
const MUTATIONS: Mutation[] = [
  (fs) => [...fs, { name: 'z', type: 'string' }],
  (fs) => [...fs, { name: 'z', type: 'string', default: '' }],
  (fs, r) => fs.filter((_, i) => i !== r % fs.length),
  (fs, r) => fs.map((f, i) => (i === r % fs.length ? { ...f, name: `${String(f.name)}_new`, aliases: [f.name] } : f)),
  (fs, r) => fs.map((f, i) => (i === r % fs.length ? { name: f.name, type: pick([...PRIMS], r) } : f)),
  (fs, r) => fs.map((f, i) => (i === r % fs.length ? { name: f.name, type: ['null', f.type].flat().filter((x, j, a) => a.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === j), default: null } : f)),
  (fs, r) =>
    fs.map((f, i) => {
      if (i !== r % fs.length || !Array.isArray(f.type) || f.type.length < 2) return f;
      const narrowed = (f.type as unknown[]).slice(0, -1);
      return { name: f.name, type: narrowed.length === 1 ? narrowed[0] : narrowed };
    }),
  (fs) =>
    fs.map((f) => {
      const t = f.type as Json;
      if (typeof t !== 'object' || t === null || t.type !== 'enum') return f;
      const symbols = [...(t.symbols as string[]), 'X'];
      return { ...f, type: { ...t, symbols } };
    }),
  (fs) =>
    fs.map((f) => {
      const t = f.type as Json;
      if (typeof t !== 'object' || t === null || t.type !== 'enum' || (t.symbols as string[]).length < 2) return f;
      const symbols = (t.symbols as string[]).slice(1);
      const { default: _d, ...rest } = t;
      const out: Json = { ...f, type: { ...rest, symbols, ...(t.default !== undefined ? { default: symbols[0] } : {}) } };
      if (f.default !== undefined) out.default = symbols[0];
      return out;
    }),
  (fs) => [...fs].reverse(),
  (fs) => fs.map((f) => ((f.type as Json)?.type === 'fixed' ? { ...f, type: { ...(f.type as Json), size: 8 }, ...(f.default !== undefined ? { default: '\u0000'.repeat(8) } : {}) } : f)),
  // Inside nested records: the same evolutions one level down.
  (fs, r) => fs.map((f) => ((f.type as Json)?.type === 'record' ? { ...f, type: { ...(f.type as Json), fields: pick(MUTATIONS.slice(0, 5), r)((f.type as Json).fields as Json[], r) } } : f)),
  // Enum defaults appear and disappear.
  (fs) => fs.map((f) => {
    const t = f.type as Json;
    if (typeof t !== 'object' || t === null || t.type !== 'enum') return f;
    const { default: d, ...rest } = t;
    return { ...f, type: d === undefined ? { ...rest, default: (t.symbols as string[])[0] } : rest };
  }),
  // Named types renamed, with or without the old name as an alias, or moved to a namespace.
  (fs, r) => fs.map((f) => {
    const t = f.type as Json;
    if (typeof t !== 'object' || t === null || Array.isArray(t) || !['enum', 'fixed', 'record'].includes(String(t.type))) return f;
    const how = r % 3;
    return { ...f, type: how === 2 ? { ...t, namespace: 'moved' } : { ...t, name: `${String(t.name)}X`, ...(how === 1 ? { aliases: [t.name] } : {}) } };
  }),
  (fs, r) => fs.map((f, i) => (i === r % fs.length ? { name: f.name, type: { type: 'map', values: pick([...PRIMS], r) } } : f)),
];

const record = (fields: Json[], name = 'R') => ({ type: 'record', name, fields });

describe('Avro rules agree with avsc on random evolutions', () => {
  it(`${RUNS} random pairs, both directions`, () => {
    const seen = { judged: 0, refused: 0, read: 0 };
    fc.assert(
      fc.property(fieldsArb(1), fc.array(fc.tuple(fc.nat(MUTATIONS.length - 1), fc.nat(100)), { minLength: 1, maxLength: 3 }), fc.boolean(), (fields, steps, renameRecord) => {
        let next = fields;
        for (const [m, r] of steps) next = MUTATIONS[m]!(next, r);
        if (next.length === 0) return;
        let old, neu;
        try {
          old = loadAvroValue(record(fields), 'old');
          neu = loadAvroValue(record(next, renameRecord ? 'S' : 'R'), 'new');
        } catch {
          return; // a mutation produced an invalid schema (e.g. a default of the wrong type): nothing to judge
        }
        const j = judgeAvroPair(old, neu);
        seen.judged++;
        for (const d of ['backward', 'forward'] as const) {
          if (j.refused[d] === undefined) seen.read++;
          else seen.refused++;
          const rules = j.changes.filter((c) => (d === 'backward' ? c.breaksBackward : c.breaksForward)).map((c) => `${c.rule} ${c.path}`);
          const refused = j.refused[d];
          expect(rules.length > 0, `${d}: rules [${rules.join(', ')}], avsc ${refused ?? 'reads'}\nold ${JSON.stringify(record(fields))}\nnew ${JSON.stringify(record(next))}`).toBe(refused !== undefined);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Not vacuous: nearly every pair is a valid schema, and both verdicts occur often.
    expect(seen.judged).toBeGreaterThan(RUNS * 0.8);
    expect(seen.refused).toBeGreaterThan(RUNS * 0.2);
    expect(seen.read).toBeGreaterThan(RUNS * 0.2);
  });
});

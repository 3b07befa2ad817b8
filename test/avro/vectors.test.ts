/**
 * The project's own Avro vectors (issue 17, "what it must show" 2): each
 * evolution a Kafka team makes, with the rules it must report and the verdict
 * under each mode, checked against avsc's resolver too.
 */
import { describe, expect, it } from 'vitest';
import { checkAvroCompatibility, judgeAvroPair, loadAvroValue } from '../../src/core/avro/index.js';
import type { Mode } from '../../src/core/diff/types.js';

const rec = (fields: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'record', name: 'Payment', namespace: 'bank', ...extra, fields });
const id = { name: 'id', type: 'string' };
const kind = (symbols: string[], def?: string) => ({ name: 'kind', type: { type: 'enum', name: 'Kind', symbols, ...(def ? { default: def } : {}) } });

interface Vector {
  name: string;
  old: unknown;
  new: unknown;
  rules: string[];
  /** compatible? under backward, forward, full, consumer */
  compatible: [boolean, boolean, boolean, boolean];
}

const VECTORS: Vector[] = [
  { name: 'field added with a default', old: rec([id]), new: rec([id, { name: 'memo', type: 'string', default: '' }]), rules: ['avro.field-added-with-default'], compatible: [true, true, true, true] },
  { name: 'field added without a default', old: rec([id]), new: rec([id, { name: 'memo', type: 'string' }]), rules: ['avro.field-added-without-default'], compatible: [false, true, false, true] },
  { name: 'nullable field added with default null', old: rec([id]), new: rec([id, { name: 'memo', type: ['null', 'string'], default: null }]), rules: ['avro.field-added-with-default'], compatible: [true, true, true, true] },
  { name: 'promotion int -> long', old: rec([id, { name: 'cents', type: 'int' }]), new: rec([id, { name: 'cents', type: 'long' }]), rules: ['avro.type-promoted'], compatible: [true, false, false, false] },
  { name: 'promotion float -> double', old: rec([id, { name: 'rate', type: 'float' }]), new: rec([id, { name: 'rate', type: 'double' }]), rules: ['avro.type-promoted'], compatible: [true, false, false, false] },
  { name: 'string <-> bytes reads both ways', old: rec([id, { name: 'blob', type: 'string' }]), new: rec([id, { name: 'blob', type: 'bytes' }]), rules: ['avro.type-promoted'], compatible: [true, true, true, true] },
  { name: 'demotion long -> int', old: rec([id, { name: 'cents', type: 'long' }]), new: rec([id, { name: 'cents', type: 'int' }]), rules: ['avro.type-demoted'], compatible: [false, true, false, true] },
  { name: 'demotion double -> float', old: rec([id, { name: 'rate', type: 'double' }]), new: rec([id, { name: 'rate', type: 'float' }]), rules: ['avro.type-demoted'], compatible: [false, true, false, true] },
  { name: 'enum symbol added, old enum has a default', old: rec([id, kind(['CARD', 'CASH'], 'CARD')]), new: rec([id, kind(['CARD', 'CASH', 'IBAN'], 'CARD')]), rules: ['avro.enum-symbol-added-with-default'], compatible: [true, true, true, true] },
  { name: 'enum symbol added, no enum default', old: rec([id, kind(['CARD', 'CASH'])]), new: rec([id, kind(['CARD', 'CASH', 'IBAN'])]), rules: ['avro.enum-symbol-added-without-default'], compatible: [true, false, false, false] },
  { name: 'enum default added together with a symbol: old readers still have none', old: rec([id, kind(['CARD', 'CASH'])]), new: rec([id, kind(['CARD', 'CASH', 'IBAN'], 'CARD')]), rules: ['avro.enum-symbol-added-without-default', 'avro.enum-default-changed'], compatible: [true, false, false, false] },
  { name: 'enum symbol removed, no enum default', old: rec([id, kind(['CARD', 'CASH', 'IBAN'])]), new: rec([id, kind(['CARD', 'CASH'])]), rules: ['avro.enum-symbol-removed-without-default'], compatible: [false, true, false, true] },
  { name: 'union widened', old: rec([id, { name: 'ref', type: ['null', 'string'], default: null }]), new: rec([id, { name: 'ref', type: ['null', 'string', 'long'], default: null }]), rules: ['avro.union-branch-added'], compatible: [true, false, false, false] },
  { name: 'plain type widened to a nullable union', old: rec([id, { name: 'ref', type: 'string' }]), new: rec([id, { name: 'ref', type: ['null', 'string'], default: null }]), rules: ['avro.union-branch-added', 'avro.field-default-changed'], compatible: [true, false, false, false] },
  { name: 'union narrowed', old: rec([id, { name: 'ref', type: ['null', 'string', 'long'], default: null }]), new: rec([id, { name: 'ref', type: ['null', 'string'], default: null }]), rules: ['avro.union-branch-removed'], compatible: [false, true, false, true] },
  { name: 'union narrowed to a branch that reads the removed one', old: rec([id, { name: 'n', type: ['int', 'long'] }]), new: rec([id, { name: 'n', type: ['long'] }]), rules: ['avro.union-branch-removed'], compatible: [true, true, true, true] },
  { name: 'rename through an alias', old: rec([id, { name: 'amount', type: 'long' }]), new: rec([id, { name: 'amount_cents', type: 'long', aliases: ['amount'] }]), rules: ['avro.field-renamed-via-alias'], compatible: [true, false, false, false] },
  { name: 'rename through an alias of a field with a default reads both ways', old: rec([id, { name: 'amount', type: 'long', default: 0 }]), new: rec([id, { name: 'amount_cents', type: 'long', default: 0, aliases: ['amount'] }]), rules: ['avro.field-renamed-via-alias'], compatible: [true, true, true, true] },
  // Found by test/avro/property.test.ts: old readers never pair a with a_new, so the type change cannot break them.
  { name: 'rename through an alias with a type change: it breaks only the direction that pairs the fields', old: rec([id, { name: 'a', type: { type: 'array', items: 'int' }, default: [] }]), new: rec([id, { name: 'a_new', type: 'int', aliases: ['a'] }]), rules: ['avro.field-renamed-via-alias', 'avro.type-changed', 'avro.field-default-changed'], compatible: [false, true, false, true] },
  { name: 'rename without an alias', old: rec([id, { name: 'amount', type: 'long' }]), new: rec([id, { name: 'amount_cents', type: 'long' }]), rules: ['avro.field-removed-without-default', 'avro.field-added-without-default'], compatible: [false, false, false, false] },
  { name: 'nested record gains a field without a default', old: rec([id, { name: 'payee', type: rec([{ name: 'iban', type: 'string' }], { name: 'Payee' }) }]), new: rec([id, { name: 'payee', type: rec([{ name: 'iban', type: 'string' }, { name: 'bic', type: 'string' }], { name: 'Payee' }) }]), rules: ['avro.field-added-without-default'], compatible: [false, true, false, true] },
  { name: 'array items promoted', old: rec([id, { name: 'xs', type: { type: 'array', items: 'int' } }]), new: rec([id, { name: 'xs', type: { type: 'array', items: 'double' } }]), rules: ['avro.type-promoted'], compatible: [true, false, false, false] },
  { name: 'record renamed with an alias, namespace moved', old: rec([id]), new: rec([id], { name: 'Transfer', namespace: 'bank.v2', aliases: ['Payment'] }), rules: ['avro.name-changed-via-alias', 'avro.aliases-changed'], compatible: [true, false, false, false] },
  { name: 'docs only', old: rec([{ ...id, doc: 'payment id' }]), new: rec([{ ...id, doc: 'the payment id' }], { doc: 'a payment' }), rules: ['avro.doc-changed', 'avro.doc-changed'], compatible: [true, true, true, true] },
];

const MODES: Mode[] = ['backward', 'forward', 'full', 'consumer'];

describe('Avro vectors', () => {
  it.each(VECTORS.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const old = loadAvroValue(v.old, 'old');
    const next = loadAvroValue(v.new, 'new');
    MODES.forEach((mode, i) => {
      const report = checkAvroCompatibility([old], next, mode);
      expect(report.changes.map((c) => c.rule).sort(), mode).toEqual([...v.rules].sort());
      expect(report.compatible, mode).toBe(v.compatible[i]);
    });
    // The rules' verdict is avsc's, direction by direction.
    const j = judgeAvroPair(old, next);
    expect(j.refused.backward === undefined, `avsc backward: ${j.refused.backward}`).toBe(v.compatible[0]);
    expect(j.refused.forward === undefined, `avsc forward: ${j.refused.forward}`).toBe(v.compatible[1]);
    expect(j.changes.some((c) => c.breaksBackward)).toBe(!v.compatible[0]);
    expect(j.changes.some((c) => c.breaksForward)).toBe(!v.compatible[1]);
  });

  it('suggests the alias when a field looks renamed without one', () => {
    const r = checkAvroCompatibility([loadAvroValue(rec([id, { name: 'amount', type: 'long' }]), 'o')], loadAvroValue(rec([id, { name: 'amount_cents', type: 'long' }]), 'n'), 'backward');
    expect(r.hints).toEqual(['looks like a rename of amount to amount_cents; add "aliases": ["amount"] to amount_cents so new readers find the old values']);
  });

  it('transitive modes judge every earlier version (Confluent: removing a default is not transitively compatible)', () => {
    const s1 = loadAvroValue(rec([id]), 's1');
    const s2 = loadAvroValue(rec([id, { name: 'memo', type: 'string', default: 'x' }]), 's2');
    const s3 = loadAvroValue(rec([id, { name: 'memo', type: 'string' }]), 's3');
    expect(checkAvroCompatibility([s1, s2], s3, 'backward').compatible).toBe(true);
    const t = checkAvroCompatibility([s1, s2], s3, 'backward_transitive');
    expect(t.compatible).toBe(false);
    expect(t.changes.filter((c) => c.breaking).map((c) => [c.rule, c.against])).toEqual([['avro.field-added-without-default', 0]]);
  });

  it('bumps: none for equal schemas, patch for docs, minor for a compatible field, major for a break', () => {
    const a = loadAvroValue(rec([id]), 'a');
    expect(checkAvroCompatibility([a], loadAvroValue(rec([id]), 'b'), 'backward')).toMatchObject({ bump: 'none', changes: [] });
    expect(checkAvroCompatibility([a], loadAvroValue(rec([id], { doc: 'x' }), 'b'), 'backward').bump).toBe('patch');
    expect(checkAvroCompatibility([a], loadAvroValue(rec([id, { name: 'm', type: 'int', default: 0 }]), 'b'), 'backward').bump).toBe('minor');
    expect(checkAvroCompatibility([a], loadAvroValue(rec([id, { name: 'm', type: 'int' }]), 'b'), 'backward').bump).toBe('major');
    // Under none nothing breaks, but the advice is still backward's.
    expect(checkAvroCompatibility([a], loadAvroValue(rec([id, { name: 'm', type: 'int' }]), 'b'), 'none')).toMatchObject({ compatible: true, bump: 'major' });
  });

  it('a recursive record compares without looping', () => {
    const list = (t: string) => ({ type: 'record', name: 'Node', fields: [{ name: 'v', type: t }, { name: 'next', type: ['null', 'Node'], default: null }] });
    const r = checkAvroCompatibility([loadAvroValue(list('int'), 'o')], loadAvroValue(list('long'), 'n'), 'backward');
    expect(r.compatible).toBe(true);
    // Once per top-level field that reaches the record: v itself, and next, whose values hold a v too.
    expect(r.changes.map((c) => [c.rule, c.path])).toEqual([['avro.type-promoted', '/fields/v'], ['avro.type-promoted', '/fields/next/Node/fields/v']]);
  });
});

/**
 * One test per Avro rule: its example produces it, with the verdict per mode
 * pinned below, and on the example the rules break exactly when avsc refuses.
 */
import { describe, expect, it } from 'vitest';
import { AVRO_RULES, avroRuleById, avroVerdictsOf, checkAvroCompatibility, judgeAvroPair, loadAvroValue } from '../../src/core/avro/index.js';
import { reconcile } from '../../src/core/avro/check.js';

const B = 'breaking';
const C = 'compatible';
type V = typeof B | typeof C;

// [backward, forward, full, consumer]: backward = new reads old, forward = old reads new, consumer = forward.
const PINNED: Record<string, [V, V, V, V]> = {
  'avro.field-added-with-default': [C, C, C, C],
  'avro.field-added-without-default': [B, C, B, C],
  'avro.field-removed-with-default': [C, C, C, C],
  'avro.field-removed-without-default': [C, B, B, B],
  'avro.field-renamed-via-alias': [C, B, B, B],
  'avro.field-alias-ambiguous': [B, C, B, C],
  'avro.field-default-changed': [C, C, C, C],
  'avro.field-order-changed': [C, C, C, C],
  'avro.type-promoted': [C, B, B, B],
  'avro.type-demoted': [B, C, B, C],
  'avro.type-changed': [B, B, B, B],
  'avro.logical-type-changed': [C, C, C, C],
  'avro.union-branch-added': [C, B, B, B],
  'avro.union-branch-removed': [B, C, B, C],
  'avro.enum-symbol-added-with-default': [C, C, C, C],
  'avro.enum-symbol-added-without-default': [C, B, B, B],
  'avro.enum-symbol-removed-with-default': [C, C, C, C],
  'avro.enum-symbol-removed-without-default': [B, C, B, C],
  'avro.enum-default-changed': [C, C, C, C],
  'avro.name-changed': [B, B, B, B],
  'avro.name-changed-via-alias': [C, B, B, B],
  'avro.namespace-changed': [C, C, C, C],
  'avro.fixed-size-changed': [B, B, B, B],
  'avro.doc-changed': [C, C, C, C],
  'avro.aliases-changed': [C, C, C, C],
};

describe('Avro rule catalog', () => {
  it('has unique avro.kebab-case ids, each described', () => {
    const ids = AVRO_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of AVRO_RULES) {
      expect(r.id).toMatch(/^avro\.[a-z]+(-[a-z]+)*$/);
      expect(r.meaning.length, r.id).toBeGreaterThan(5);
      expect(r.rationale.length, r.id).toBeGreaterThan(20);
      expect(['field', 'type', 'union', 'enum', 'name', 'fixed', 'annotation']).toContain(r.category);
    }
    expect(avroRuleById('avro.type-promoted')?.category).toBe('type');
    expect(avroRuleById('TYPE_NARROWED')).toBeUndefined();
  });

  it('pins a verdict for every rule with an example, and only the safety net has none', () => {
    expect(AVRO_RULES.filter((r) => !r.example).map((r) => r.id)).toEqual(['avro.unresolvable']);
    expect(Object.keys(PINNED).sort()).toEqual(AVRO_RULES.filter((r) => r.example).map((r) => r.id).sort());
  });

  describe.each(AVRO_RULES.filter((r) => r.example).map((r) => [r.id, r] as const))('%s', (id, r) => {
    it('its example produces it with the pinned verdicts, and the rules agree with avsc', () => {
      const v = avroVerdictsOf(r);
      expect(v, `${id}: example does not produce it`).toBeDefined();
      expect([v!.backward, v!.forward, v!.full, v!.consumer]).toEqual(PINNED[id]);
      const old = loadAvroValue(r.example!.old, 'old');
      const next = loadAvroValue(r.example!.new, 'new');
      const j = judgeAvroPair(old, next);
      expect(j.changes.some((c) => c.breaksBackward), `${id} backward vs avsc: ${j.refused.backward}`).toBe(j.refused.backward !== undefined);
      expect(j.changes.some((c) => c.breaksForward), `${id} forward vs avsc: ${j.refused.forward}`).toBe(j.refused.forward !== undefined);
      const hit = checkAvroCompatibility([old], next, 'full').changes.find((c) => c.rule === id);
      expect(hit!.message.length).toBeGreaterThan(15);
    });
  });

  describe('avro.unresolvable (the safety net)', () => {
    it('carries avsc\'s reason when avsc refuses and no rule explains it', () => {
      const out = reconcile({ changes: [], refused: { backward: 'no alias found for X', forward: undefined } });
      expect(out).toEqual([{ rule: 'avro.unresolvable', path: '', message: 'the new schema cannot read data written with the old one: no alias found for X', breaksBackward: true, breaksForward: false }]);
    });

    it('drops a direction avsc reads from a change the walk thought breaking', () => {
      const change = { rule: 'avro.type-changed', path: '/fields/a', message: 'x', breaksBackward: true, breaksForward: true };
      const out = reconcile({ changes: [change], refused: { backward: undefined, forward: 'cannot read' } });
      expect(out).toEqual([{ ...change, breaksBackward: false }]);
      // The input is left as it was.
      expect(change.breaksBackward).toBe(true);
    });
  });
});

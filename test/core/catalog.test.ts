/**
 * One test per rule: its catalog example produces the rule, with the
 * backward verdicts the catalog states under strict and lenient.
 */
import { describe, expect, it } from 'vitest';
import { RULES, diffSchemas, ruleById, type DiffOptions } from '../../src/core/diff/index.js';

describe('rule catalog', () => {
  it('has unique UPPER_SNAKE ids', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });

  it('describes every rule fully', () => {
    for (const r of RULES) {
      expect(r.meaning.length, r.id).toBeGreaterThan(5);
      expect(r.rationale.length, r.id).toBeGreaterThan(10);
      expect(r.category, r.id).toMatch(/^(type|object|array|string|number|enum|combinator|reference|format|physical|annotation)$/);
      if (r.tesseraOnly) expect(r.confluent, r.id).toBeUndefined();
    }
  });

  it('ruleById finds rules and nothing else', () => {
    expect(ruleById('TYPE_NARROWED')?.id).toBe('TYPE_NARROWED');
    expect(ruleById('NO_SUCH_RULE')).toBeUndefined();
  });

  describe.each(RULES.map((r) => [r.id, r] as const))('%s', (id, r) => {
    it('its example produces it with the stated backward verdicts', () => {
      for (const policy of ['strict', 'lenient'] as const) {
        const opts: DiffOptions = { mode: 'backward', contentModel: r.example.contentModel ?? 'closed', policy, profile: 'tessera' };
        const changes = diffSchemas(r.example.old, r.example.new, opts);
        const hit = changes.find((c) => c.rule === id);
        expect(hit, `${policy}: got ${changes.map((c) => c.rule).join(', ')}`).toBeDefined();
        expect(hit!.breaking, policy).toBe(r.backward[policy] === 'breaking');
        expect(hit!.message.length).toBeGreaterThan(10);
      }
    });
  });
});

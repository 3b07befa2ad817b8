import { describe, expect, it } from 'vitest';
import { tessera } from '../helpers/cli.js';

interface RuleJson {
  id: string;
  category: string;
  meaning: string;
  backward: { strict: string; lenient: string };
  rationale: string;
  example: { old: unknown; new: unknown; content_model: string };
  confluent: string[];
  tessera_only: boolean;
}

describe('tessera rules', () => {
  it('lists every rule with category, its backward, forward and consumer verdicts and meaning', async () => {
    const r = await tessera(['rules']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +CATEGORY +BACKWARD +FORWARD +CONSUMER +MEANING$/);
    // number -> integer: old rows with 1.5 break backward; every new value is a number old readers take.
    expect(r.stdout).toMatch(/\nTYPE_NARROWED +type +breaking +compatible +compatible +\S/);
    // A dropped optional column: forward lets it through, a reader selecting it by name does not.
    expect(r.stdout).toMatch(/\nPROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL +object +compatible +breaking +breaking +\S/);
    expect(lines.at(-1)).toMatch(/^\d+ rules; strict policy/);
  });

  it('--json: the whole catalog, versioned, ids unique and UPPER_SNAKE', async () => {
    const r = await tessera(['rules', '--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { schema_version: string; count: number; rules: RuleJson[] };
    expect(out.schema_version).toBe('tessera.rules/v1');
    expect(out.count).toBe(out.rules.length);
    expect(out.rules.length).toBeGreaterThan(20);
    expect(new Set(out.rules.map((x) => x.id)).size).toBe(out.rules.length);
    for (const rule of out.rules) {
      expect(rule.id).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(['breaking', 'compatible']).toContain(rule.backward.strict);
      expect(['breaking', 'compatible']).toContain(rule.backward.lenient);
      expect(rule.meaning.length).toBeGreaterThan(0);
    }
    // Removing a column of a closed table is the flagship rule.
    expect(out.rules.find((x) => x.id === 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL')?.backward.strict).toBe('breaking');
  });
});

describe('tessera explain', () => {
  it('explains one rule: meaning, verdicts, rationale, example, Confluent name', async () => {
    const r = await tessera(['explain', 'TYPE_NARROWED']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^TYPE_NARROWED {2}\(type\)\n/);
    expect(r.stdout).toContain('backward:  breaking (strict and lenient policy)');
    expect(r.stdout).toMatch(/\nwhy: +\S/);
    expect(r.stdout).toMatch(/\n {2}old: \{.*\}\n {2}new: \{.*\}\n/);
    expect(r.stdout).toContain('confluent: TYPE_NARROWED');
  });

  it('accepts lower case and dashes', async () => {
    const r = await tessera(['explain', 'type-narrowed', '--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { schema_version: string; rule: RuleJson };
    expect(out.schema_version).toBe('tessera.rule/v1');
    expect(out.rule.id).toBe('TYPE_NARROWED');
    expect(out.rule.example.old).toBeDefined();
  });

  it('an unknown id: exit 2, one line with a suggestion and a pointer to tessera rules', async () => {
    const r = await tessera(['explain', 'TYPE_NAROWED']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("tessera: unknown rule 'TYPE_NAROWED' (did you mean TYPE_NARROWED? run tessera rules to list every rule)");
  });

  it('an id that resembles nothing gets no suggestion', async () => {
    const r = await tessera(['explain', 'QQQQQQQQQQQQ']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("tessera: unknown rule 'QQQQQQQQQQQQ' (run tessera rules to list every rule)");
  });
});

/**
 * Each Avro rule's verdict under each mode, derived by judging the rule's own
 * example (as src/core/diff/verdicts.ts does for JSON Schema): what users read
 * in `tessera rules` is what the checker decides.
 */
import { VERDICT_MODES, type ModeVerdicts } from '../diff/verdicts.js';
import type { AvroRuleDefinition } from './catalog.js';
import { checkAvroCompatibility } from './check.js';
import { loadAvroValue } from './load.js';

const cache = new Map<string, ModeVerdicts | undefined>();

/** undefined when the rule has no example, or its example does not produce it (a catalog bug the tests catch). */
export function avroVerdictsOf(rule: AvroRuleDefinition): ModeVerdicts | undefined {
  if (cache.has(rule.id)) return cache.get(rule.id);
  let out: ModeVerdicts | undefined;
  if (rule.example) {
    const old = loadAvroValue(rule.example.old, `${rule.id} example (old)`);
    const next = loadAvroValue(rule.example.new, `${rule.id} example (new)`);
    const got = VERDICT_MODES.map((mode) => {
      const mine = checkAvroCompatibility([old], next, mode).changes.filter((c) => c.rule === rule.id);
      return mine.length === 0 ? undefined : mine.some((c) => c.breaking) ? 'breaking' : 'compatible';
    });
    if (got.every((v) => v !== undefined)) out = Object.fromEntries(VERDICT_MODES.map((m, i) => [m, got[i]!])) as ModeVerdicts;
  }
  cache.set(rule.id, out);
  return out;
}

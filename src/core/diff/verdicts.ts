/**
 * Each rule's verdict under each mode, derived by running the rule's own
 * catalog example through the engine. Derived, not written down a second
 * time: a hand-kept table beside the catalog would drift from what the
 * engine decides, and the table is what users trust.
 */
import type { RuleDefinition, Verdict } from './catalog-types.js';
import type { Mode, Profile } from './types.js';
import { checkCompatibility } from './report.js';

/** The modes a rule's verdict is shown for (the transitive variants judge each pair the same way). */
export const VERDICT_MODES = ['backward', 'forward', 'full', 'consumer'] as const satisfies readonly Mode[];
export type VerdictMode = (typeof VERDICT_MODES)[number];

export type ModeVerdicts = Record<VerdictMode, Verdict>;

function emitted(rule: RuleDefinition, mode: Mode, profile: Profile): Verdict | undefined {
  const report = checkCompatibility([rule.example.old], rule.example.new, {
    mode,
    contentModel: rule.example.contentModel ?? 'closed',
    policy: 'strict',
    profile,
  });
  const mine = report.changes.filter((c) => c.rule === rule.id);
  if (mine.length === 0) return undefined;
  return mine.some((c) => c.breaking) ? 'breaking' : 'compatible';
}

const cache = new Map<string, ModeVerdicts | undefined>();

/**
 * The strict-policy verdict of the rule's example change under each mode, or
 * undefined when the example does not produce the rule (a catalog bug, which
 * test/core/verdicts.test.ts catches).
 */
export function verdictsOf(rule: RuleDefinition): ModeVerdicts | undefined {
  if (cache.has(rule.id)) return cache.get(rule.id);
  let out: ModeVerdicts | undefined;
  for (const profile of ['tessera', 'confluent'] as const) {
    const got = VERDICT_MODES.map((m) => emitted(rule, m, profile));
    if (got.every((v): v is Verdict => v !== undefined)) {
      out = Object.fromEntries(VERDICT_MODES.map((m, i) => [m, got[i]!])) as ModeVerdicts;
      break;
    }
  }
  cache.set(rule.id, out);
  return out;
}

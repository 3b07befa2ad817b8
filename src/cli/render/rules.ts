/** Renderers for the rule catalog: `tessera rules` and `tessera explain`. */
import type { RuleDefinition } from '../../core/diff/catalog-types.js';
import { PLAIN, type Painter } from './painter.js';

export const RULES_JSON_VERSION = 'tessera.rules/v1';
export const RULE_JSON_VERSION = 'tessera.rule/v1';

export interface RuleJson {
  id: string;
  category: string;
  meaning: string;
  backward: { strict: string; lenient: string };
  rationale: string;
  example: { old: unknown; new: unknown; content_model: 'open' | 'closed' };
  confluent: string[];
  tessera_only: boolean;
}

export function ruleToJson(r: RuleDefinition): RuleJson {
  return {
    id: r.id,
    category: r.category,
    meaning: r.meaning,
    backward: { strict: r.backward.strict, lenient: r.backward.lenient },
    rationale: r.rationale,
    example: { old: r.example.old, new: r.example.new, content_model: r.example.contentModel ?? 'closed' },
    confluent: r.confluent ?? [],
    tessera_only: r.tesseraOnly === true,
  };
}

export function rulesToJson(rules: readonly RuleDefinition[]) {
  return { schema_version: RULES_JSON_VERSION, count: rules.length, rules: rules.map(ruleToJson) };
}

export function ruleDocumentJson(r: RuleDefinition) {
  return { schema_version: RULE_JSON_VERSION, rule: ruleToJson(r) };
}

function verdictCell(v: string, p: Painter, width: number): string {
  const padded = v.padEnd(width);
  return v === 'breaking' ? p.red(padded) : p.green(padded);
}

/** One row per rule, aligned; the meaning takes the rest of the line. */
export function renderRulesText(rules: readonly RuleDefinition[], paint: Painter = PLAIN): string[] {
  const idW = Math.max(2, ...rules.map((r) => r.id.length));
  const catW = Math.max(8, ...rules.map((r) => r.category.length));
  const vW = 'compatible'.length;
  const lines = [
    paint.bold(`${'ID'.padEnd(idW)}  ${'CATEGORY'.padEnd(catW)}  ${'STRICT'.padEnd(vW)}  ${'LENIENT'.padEnd(vW)}  MEANING`),
  ];
  for (const r of rules) {
    const tag = r.tesseraOnly ? ' (tessera profile)' : '';
    lines.push(`${r.id.padEnd(idW)}  ${r.category.padEnd(catW)}  ${verdictCell(r.backward.strict, paint, vW)}  ${verdictCell(r.backward.lenient, paint, vW)}  ${r.meaning}${tag}`);
  }
  lines.push('', `${rules.length} rules; verdicts are for mode backward (forward swaps the schemas). Run tessera explain <ID> for one rule.`);
  return lines;
}

export function compactJson(v: unknown): string {
  return JSON.stringify(v);
}

export function renderRuleExplain(r: RuleDefinition, paint: Painter = PLAIN): string[] {
  const cm = r.example.contentModel ?? 'closed';
  const same = r.backward.strict === r.backward.lenient;
  const verdict = same ? `${r.backward.strict} (strict and lenient policy)` : `${r.backward.strict} under the strict policy, ${r.backward.lenient} under the lenient policy`;
  const lines = [
    `${paint.bold(r.id)}  ${paint.dim(`(${r.category})`)}`,
    r.meaning,
    '',
    `backward:  ${verdict}`,
    'forward:   the same rule applied to the swapped pair (new -> old); full: both',
    '',
    `why:       ${r.rationale}`,
    '',
    `example (${cm} content model):`,
    `  old: ${compactJson(r.example.old)}`,
    `  new: ${compactJson(r.example.new)}`,
    '',
    `confluent: ${r.confluent && r.confluent.length > 0 ? r.confluent.join(', ') : 'none (Tessera only)'}`,
  ];
  if (r.tesseraOnly) lines.push('profile:   reported under --profile tessera only');
  return lines;
}

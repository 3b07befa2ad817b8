/** Renderers for the rule catalog: `tessera rules` and `tessera explain`. */
import type { RuleDefinition } from '../../core/diff/catalog-types.js';
import { verdictsOf, type ModeVerdicts } from '../../core/diff/verdicts.js';
import { PLAIN, type Painter } from './painter.js';
import { FOOTPRINT_MEANING } from '../../core/scope/footprint.js';

export const RULES_JSON_VERSION = 'tessera.rules/v1';
export const RULE_JSON_VERSION = 'tessera.rule/v1';

export interface RuleJson {
  id: string;
  category: string;
  meaning: string;
  /** What a change it finds touches, for scoped acknowledgments: `field` or `table`. */
  footprint: string;
  backward: { strict: string; lenient: string };
  /** The example's verdict under each mode (strict policy), as the engine decides it. */
  verdicts?: ModeVerdicts;
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
    footprint: r.footprint,
    backward: { strict: r.backward.strict, lenient: r.backward.lenient },
    ...(verdictsOf(r) ? { verdicts: verdictsOf(r)! } : {}),
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
    paint.bold(`${'ID'.padEnd(idW)}  ${'CATEGORY'.padEnd(catW)}  ${'BACKWARD'.padEnd(vW)}  ${'FORWARD'.padEnd(vW)}  ${'CONSUMER'.padEnd(vW)}  MEANING`),
  ];
  for (const r of rules) {
    const tag = r.tesseraOnly ? ' (tessera profile)' : '';
    const v = verdictsOf(r);
    const cells = [r.backward.strict, v?.forward ?? '?', v?.consumer ?? '?'].map((x) => verdictCell(x, paint, vW)).join('  ');
    lines.push(`${r.id.padEnd(idW)}  ${r.category.padEnd(catW)}  ${cells}  ${r.meaning}${tag}`);
  }
  lines.push('', `${rules.length} rules; strict policy (tessera explain <ID> shows lenient and full too). consumer is the default for tables. Run tessera explain <ID> for one rule; tessera rules --avro lists the Avro rules.`);
  return lines;
}

function explainModes(r: RuleDefinition): string[] {
  const v = verdictsOf(r);
  if (!v) return ['forward:   the same rule applied to the swapped pair (new -> old); full: both'];
  return [
    `forward:   ${v.forward} (old readers of new data: the swapped pair)`,
    `full:      ${v.full}`,
    `consumer:  ${v.consumer} (the default for tables: old readers of new rows, selecting columns by name)`,
  ];
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
    ...explainModes(r),
    '',
    `why:       ${r.rationale}`,
    '',
    `footprint: ${r.footprint}: ${FOOTPRINT_MEANING[r.footprint]}`,
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

/** Renderers for the Avro rules: `tessera rules --avro` and `tessera explain avro.<rule>`. */
import type { AvroRuleDefinition } from '../../core/avro/catalog.js';
import { avroVerdictsOf } from '../../core/avro/verdicts.js';
import { VERDICT_MODES, type ModeVerdicts } from '../../core/diff/verdicts.js';
import { PLAIN, type Painter } from './painter.js';
import { compactJson } from './rules.js';
import { AVRO_FOOTPRINT_MEANING } from '../../core/scope/footprint.js';

export const AVRO_RULES_JSON_VERSION = 'tessera.avro-rules/v1';
export const AVRO_RULE_JSON_VERSION = 'tessera.avro-rule/v1';

export interface AvroRuleJson {
  id: string;
  format: 'avro';
  category: string;
  meaning: string;
  /** What a change it finds touches, for scoped acknowledgments: `field` or `table`. */
  footprint: string;
  /** The example's verdict under each mode, as the Avro checker (avsc's resolver) decides it; absent without an example. */
  verdicts?: ModeVerdicts;
  rationale: string;
  example?: { old: unknown; new: unknown };
}

export function avroRuleToJson(r: AvroRuleDefinition): AvroRuleJson {
  const v = avroVerdictsOf(r);
  return { id: r.id, format: 'avro', category: r.category, meaning: r.meaning, footprint: r.footprint, ...(v ? { verdicts: v } : {}), rationale: r.rationale, ...(r.example ? { example: r.example } : {}) };
}

export function avroRulesToJson(rules: readonly AvroRuleDefinition[]) {
  return { schema_version: AVRO_RULES_JSON_VERSION, count: rules.length, rules: rules.map(avroRuleToJson) };
}

export function avroRuleDocumentJson(r: AvroRuleDefinition) {
  return { schema_version: AVRO_RULE_JSON_VERSION, rule: avroRuleToJson(r) };
}

const cell = (v: string | undefined, p: Painter, w: number) => {
  const s = (v ?? 'avsc').padEnd(w);
  return v === 'breaking' ? p.red(s) : v === 'compatible' ? p.green(s) : p.yellow(s);
};

export function renderAvroRulesText(rules: readonly AvroRuleDefinition[], paint: Painter = PLAIN): string[] {
  const idW = Math.max(2, ...rules.map((r) => r.id.length));
  const catW = Math.max(8, ...rules.map((r) => r.category.length));
  const vW = 'compatible'.length;
  const lines = [paint.bold(`${'ID'.padEnd(idW)}  ${'CATEGORY'.padEnd(catW)}  ${VERDICT_MODES.map((m) => m.toUpperCase().padEnd(vW)).join('  ')}  MEANING`)];
  for (const r of rules) {
    const v = avroVerdictsOf(r);
    lines.push(`${r.id.padEnd(idW)}  ${r.category.padEnd(catW)}  ${VERDICT_MODES.map((m) => cell(v?.[m], paint, vW)).join('  ')}  ${r.meaning}`);
  }
  lines.push('', `${rules.length} Avro rules (contracts published from .avsc); verdicts are avsc's resolver on each rule's example. consumer = forward for Avro. Run tessera explain <ID> for one rule.`);
  return lines;
}

export function renderAvroRuleExplain(r: AvroRuleDefinition, paint: Painter = PLAIN): string[] {
  const v = avroVerdictsOf(r);
  const lines = [`${paint.bold(r.id)}  ${paint.dim(`(${r.category}, Avro)`)}`, r.meaning, ''];
  if (v) {
    lines.push(
      `backward:  ${v.backward} (the new schema reads data written with the old one)`,
      `forward:   ${v.forward} (the old schema reads data written with the new one)`,
      `full:      ${v.full}`,
      `consumer:  ${v.consumer} (the table default; for Avro it is forward)`,
    );
  } else lines.push('verdict:   whatever avsc decides; this rule carries its reason');
  lines.push('', `why:       ${r.rationale}`, '', `footprint: ${r.footprint}: ${AVRO_FOOTPRINT_MEANING[r.footprint]}`);
  if (r.example) lines.push('', 'example:', `  old: ${compactJson(r.example.old)}`, `  new: ${compactJson(r.example.new)}`);
  return lines;
}

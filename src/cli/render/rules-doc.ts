/**
 * docs/rules.md, generated from the catalog so the documentation can never
 * drift from the engine (test/cli/rules-doc.test.ts enforces it).
 */
import { FOOTPRINT_KINDS, type FootprintKind, type RuleDefinition } from '../../core/diff/catalog-types.js';
import { verdictsOf } from '../../core/diff/verdicts.js';
import { AVRO_RULES, type AvroRuleDefinition } from '../../core/avro/catalog.js';
import { avroVerdictsOf } from '../../core/avro/verdicts.js';
import { mdCell, mdCode } from './markdown.js';
import { AVRO_FOOTPRINT_MEANING, FOOTPRINT_MEANING } from '../../core/scope/footprint.js';

/** The JSON Schema rules, then the Avro rules (contracts published from .avsc) in their own part. */
export function renderRulesDoc(rules: readonly RuleDefinition[], avroRules: readonly AvroRuleDefinition[] = AVRO_RULES): string {
  const categories: string[] = [];
  for (const r of rules) if (!categories.includes(r.category)) categories.push(r.category);

  const out: string[] = [
    '<!-- Generated from the rule catalog by `npm run docs:rules`. Do not edit by hand. -->',
    '',
    '# Schema diff rules',
    '',
    `Every difference \`tessera diff\` reports between JSON Schema contracts carries one of these ${rules.length} rule ids; between Avro contracts, one of the ${avroRules.length} \`avro.*\` ids of [Avro rules](#avro-rules) below. Ids are stable: a rule is never renamed once released.`,
    '',
    'The verdict columns are the verdict of the rule\'s own example (below each rule) under each mode, strict policy,',
    'computed by the engine when this file is generated:',
    '',
    '- `backward`: the new schema must accept every record the old one accepted (new readers, old data; Confluent\'s meaning).',
    '- `forward`: the old schema must accept every record the new one allows (old readers, new data).',
    '- `full`: both. `none` checks nothing; the `*_transitive` variants judge each earlier version the same way.',
    '- `consumer`: the default for tables (`table`, `view`, `model`, `source`, `seed`, `snapshot` and every dbt asset).',
    '  Old readers of new rows that select columns by name: `forward` on values, except that a property (column)',
    '  removed is always breaking and a property added is always compatible, at every object level.',
    '',
    '`Lenient` is Confluent\'s LENIENT compatibility policy under `backward`. Run `tessera explain <ID>` for one rule in the terminal.',
    '',
    'The footprint column says what a change found by the rule touches, which decides the teams a proposal requires',
    '(docs/scoped-acks.md):',
    '',
    ...footprintLines(FOOTPRINT_MEANING),
    '',
    '| Rule | Category | Footprint | backward | forward | full | consumer | Lenient | Meaning |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rules) {
    const v = verdictsOf(r);
    const cells = v ? [v.backward, v.forward, v.full, v.consumer] : [r.backward.strict, '?', '?', '?'];
    out.push(`| [${mdCode(r.id)}](#${anchor(r.id)}) | ${r.category} | ${r.footprint} | ${cells.join(' | ')} | ${r.backward.lenient} | ${mdCell(r.meaning)} |`);
  }
  for (const cat of categories) {
    out.push('', `## ${cat}`);
    for (const r of rules.filter((x) => x.category === cat)) {
      out.push(
        '',
        `### ${r.id}`,
        '',
        r.meaning,
        '',
        `- Footprint: **${r.footprint}**`,
        `- Backward, strict policy: **${r.backward.strict}**`,
        `- Backward, lenient policy: **${r.backward.lenient}**`,
        ...modeLines(r),
        `- Confluent: ${r.confluent && r.confluent.length > 0 ? r.confluent.map((c) => mdCode(c)).join(', ') : 'none'}${r.tesseraOnly ? ' (reported under the `tessera` profile only)' : ''}`,
        '',
        r.rationale,
        '',
        `Example (${r.example.contentModel ?? 'closed'} content model):`,
        '',
        '```yaml',
        `old: ${JSON.stringify(r.example.old)}`,
        `new: ${JSON.stringify(r.example.new)}`,
        '```',
      );
    }
  }
  out.push(...avroPart(avroRules));
  return out.join('\n') + '\n';
}

function footprintLines(meaning: Record<FootprintKind, string>): string[] {
  return FOOTPRINT_KINDS.map((k) => `- \`${k}\`: ${meaning[k]}.`);
}

function avroPart(rules: readonly AvroRuleDefinition[]): string[] {
  const categories = [...new Set(rules.map((r) => r.category))];
  const out = [
    '',
    '# Avro rules',
    '',
    `An Avro contract is judged by Avro's schema-resolution rules (avsc's resolver, docs/formats.md "Avro"); each difference carries one of these ${rules.length} ids.`,
    "The verdict columns are avsc's verdict on the rule's own example under each mode: `backward`, the new schema reads data written with the old one;",
    '`forward`, the old schema reads data written with the new one; `full`, both; `consumer` (the table default) is `forward` for Avro.',
    'Content model and policy do not apply. `avsc` in a column: the rule has no example and carries whatever avsc decides.',
    '',
    'The footprint column (docs/scoped-acks.md) for Avro paths (`/fields/a`, `/fields/a/fields/b`, `/fields/ref/long`):',
    '',
    ...footprintLines(AVRO_FOOTPRINT_MEANING),
    '',
    '| Rule | Category | Footprint | backward | forward | full | consumer | Meaning |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rules) {
    const v = avroVerdictsOf(r);
    const cells = v ? [v.backward, v.forward, v.full, v.consumer] : ['avsc', 'avsc', 'avsc', 'avsc'];
    out.push(`| [${mdCode(r.id)}](#${anchor(r.id)}) | ${r.category} | ${r.footprint} | ${cells.join(' | ')} | ${mdCell(r.meaning)} |`);
  }
  for (const cat of categories) {
    out.push('', `## Avro: ${cat}`);
    for (const r of rules.filter((x) => x.category === cat)) {
      const v = avroVerdictsOf(r);
      out.push(
        '',
        `### ${r.id}`,
        '',
        r.meaning,
        '',
        `- Footprint: **${r.footprint}**`,
        v ? `- Backward: **${v.backward}**; forward: **${v.forward}**; full: **${v.full}**; consumer: **${v.consumer}**` : "- Verdict: avsc's, with its reason",
        '',
        r.rationale,
      );
      if (r.example) out.push('', 'Example:', '', '```yaml', `old: ${JSON.stringify(r.example.old)}`, `new: ${JSON.stringify(r.example.new)}`, '```');
    }
  }
  return out;
}

function modeLines(r: RuleDefinition): string[] {
  const v = verdictsOf(r);
  if (!v) return [];
  return [`- Forward: **${v.forward}**; full: **${v.full}**; consumer: **${v.consumer}**`];
}

/** GitHub's heading anchor for a rule id: lower case, punctuation other than - and _ dropped (`avro.type-promoted` -> avrotype-promoted). */
function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

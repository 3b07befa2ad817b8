/**
 * docs/rules.md, generated from the catalog so the documentation can never
 * drift from the engine (test/cli/rules-doc.test.ts enforces it).
 */
import type { RuleDefinition } from '../../core/diff/catalog-types.js';
import { verdictsOf } from '../../core/diff/verdicts.js';
import { mdCell, mdCode } from './markdown.js';
import { FOOTPRINT_MEANING } from '../../core/scope/footprint.js';

export function renderRulesDoc(rules: readonly RuleDefinition[]): string {
  const categories: string[] = [];
  for (const r of rules) if (!categories.includes(r.category)) categories.push(r.category);

  const out: string[] = [
    '<!-- Generated from the rule catalog by `npm run docs:rules`. Do not edit by hand. -->',
    '',
    '# Schema diff rules',
    '',
    `Every difference \`tessera diff\` reports carries one of these ${rules.length} rule ids. Ids are stable: a rule is never renamed once released.`,
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
    `- \`field\`: ${FOOTPRINT_MEANING.field}.`,
    `- \`table\`: ${FOOTPRINT_MEANING.table}.`,
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
  return out.join('\n') + '\n';
}

function modeLines(r: RuleDefinition): string[] {
  const v = verdictsOf(r);
  if (!v) return [];
  return [`- Forward: **${v.forward}**; full: **${v.full}**; consumer: **${v.consumer}**`];
}

/** GitHub's heading anchor for an UPPER_SNAKE id. */
function anchor(id: string): string {
  return id.toLowerCase();
}

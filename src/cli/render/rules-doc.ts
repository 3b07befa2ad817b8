/**
 * docs/rules.md, generated from the catalog so the documentation can never
 * drift from the engine (test/cli/rules-doc.test.ts enforces it).
 */
import type { RuleDefinition } from '../../core/diff/catalog-types.js';
import { mdCell, mdCode } from './markdown.js';

export function renderRulesDoc(rules: readonly RuleDefinition[]): string {
  const categories: string[] = [];
  for (const r of rules) if (!categories.includes(r.category)) categories.push(r.category);

  const out: string[] = [
    '<!-- Generated from the rule catalog by `npm run docs:rules`. Do not edit by hand. -->',
    '',
    '# Schema diff rules',
    '',
    `Every difference \`tessera diff\` reports carries one of these ${rules.length} rule ids. Ids are stable: a rule is never renamed once released.`,
    'Verdicts are for mode `backward` (the new schema must accept every record the old one accepted);',
    '`forward` applies the same rule to the swapped pair, `full` applies both, `none` checks nothing.',
    'The `lenient` policy is Confluent\'s LENIENT compatibility policy. Run `tessera explain <ID>` for one rule in the terminal.',
    '',
    '| Rule | Category | Strict | Lenient | Meaning |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of rules) {
    out.push(`| [${mdCode(r.id)}](#${anchor(r.id)}) | ${r.category} | ${r.backward.strict} | ${r.backward.lenient} | ${mdCell(r.meaning)} |`);
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
        `- Backward, strict policy: **${r.backward.strict}**`,
        `- Backward, lenient policy: **${r.backward.lenient}**`,
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

/** GitHub's heading anchor for an UPPER_SNAKE id. */
function anchor(id: string): string {
  return id.toLowerCase();
}

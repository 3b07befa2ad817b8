/** `tessera explain <ID>`: one rule in full (JSON Schema rules, or `avro.*` Avro rules). */
import { RULES, ruleById } from '../../core/diff/index.js';
import { ExitCode, InputError } from '../../core/errors.js';
import { paint, printJson, printLines } from '../output.js';
import { renderRuleExplain, ruleDocumentJson } from '../render/rules.js';
import { closest } from '../render/suggest.js';

/** Avro ids are `avro.kebab-case`; accept `AVRO.FIELD_ADDED...` and underscores as people type them. */
async function explainAvro(asked: string, opts: Record<string, unknown>): Promise<number> {
  const { AVRO_RULES, avroRuleById } = await import('../../core/avro/catalog.js');
  const { avroRuleDocumentJson, renderAvroRuleExplain } = await import('../render/avro-rules.js');
  const id = asked.trim().toLowerCase().replace(/[_\s]+/g, '-');
  const rule = avroRuleById(id);
  if (!rule) {
    const guess = closest(id, AVRO_RULES.map((r) => r.id));
    throw new InputError(`unknown rule '${asked}'`, `${guess ? `did you mean ${guess}? ` : ''}run tessera rules --avro to list the Avro rules`);
  }
  if (opts.json) printJson(avroRuleDocumentJson(rule));
  else printLines(renderAvroRuleExplain(rule, paint()));
  return ExitCode.Ok;
}

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const asked = String(args[0] ?? '');
  if (/^\s*avro\./i.test(asked)) return explainAvro(asked, opts);
  // Ids are UPPER_SNAKE; accept `type-narrowed` and `type_narrowed` as people type them.
  const id = asked.trim().toUpperCase().replace(/[-\s]+/g, '_');
  const rule = ruleById(id);
  if (!rule) {
    const guess = closest(id, RULES.map((r) => r.id));
    const didYouMean = guess ? `did you mean ${guess}? ` : '';
    throw new InputError(`unknown rule '${asked}'`, `${didYouMean}run tessera rules to list every rule`);
  }
  if (opts.json) printJson(ruleDocumentJson(rule));
  else printLines(renderRuleExplain(rule, paint()));
  return ExitCode.Ok;
}

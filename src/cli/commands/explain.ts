/** `tessera explain <ID>`: one rule in full. */
import { RULES, ruleById } from '../../core/diff/index.js';
import { ExitCode, InputError } from '../../core/errors.js';
import { paint, printJson, printLines } from '../output.js';
import { renderRuleExplain, ruleDocumentJson } from '../render/rules.js';
import { closest } from '../render/suggest.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const asked = String(args[0] ?? '');
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

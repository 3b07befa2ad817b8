/** `tessera rules`: the diff engine's rule catalog. */
import { RULES } from '../../core/diff/index.js';
import { ExitCode } from '../../core/errors.js';
import { paint, printJson, printLines } from '../output.js';
import { renderRulesText, rulesToJson } from '../render/rules.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  if (opts.json) printJson(rulesToJson(RULES));
  else printLines(renderRulesText(RULES, paint()));
  return ExitCode.Ok;
}

/** `tessera rules`: the diff engine's rule catalog (`--avro`: the Avro rules). */
import { RULES } from '../../core/diff/index.js';
import { ExitCode } from '../../core/errors.js';
import { paint, printJson, printLines } from '../output.js';
import { renderRulesText, rulesToJson } from '../render/rules.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  if (opts.avro) {
    const { AVRO_RULES } = await import('../../core/avro/catalog.js');
    const { avroRulesToJson, renderAvroRulesText } = await import('../render/avro-rules.js');
    if (opts.json) printJson(avroRulesToJson(AVRO_RULES));
    else printLines(renderAvroRulesText(AVRO_RULES, paint()));
    return ExitCode.Ok;
  }
  if (opts.json) printJson(rulesToJson(RULES));
  else printLines(renderRulesText(RULES, paint()));
  return ExitCode.Ok;
}

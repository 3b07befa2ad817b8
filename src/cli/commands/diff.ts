/** `tessera diff <old> <new>`: exit 0 compatible, 1 breaking under the mode, 2 bad input. */
import { DEFAULT_DIFF_OPTIONS, type CompatibilityReport, type ContentModel, type DiffOptions, type Mode, type Policy, type Profile } from '../../core/diff/types.js';
import { ExitCode, InputError } from '../../core/errors.js';
import { paint, printJson, printLines, resolveFormat } from '../output.js';
import { diffToJson, renderDiffGithub, renderDiffMarkdown, renderDiffText, type DiffRenderContext } from '../render/diff.js';
import { loadSchemaOperands, type LoadedOperand } from '../schema-operand.js';
import { registryResolver } from '../registry-operand.js';

/** Two Avro schemas, judged by Avro's resolution rules (content model, policy and profile do not apply). */
async function runAvro(oldSchema: LoadedOperand, newSchema: LoadedOperand, opts: Record<string, unknown>, format: string): Promise<number> {
  if (!oldSchema.avro || !newSchema.avro) {
    const avro = oldSchema.avro ? oldSchema.source : newSchema.source;
    throw new InputError(`cannot compare an Avro schema (${avro}) with a JSON Schema`, 'diff two Avro schemas, or two JSON Schemas');
  }
  const { checkAvroCompatibility } = await import('../../core/avro/check.js');
  const { avroRuleById } = await import('../../core/avro/catalog.js');
  const options: DiffOptions = { ...DEFAULT_DIFF_OPTIONS, mode: (opts.mode as Mode | undefined) ?? newSchema.mode ?? DEFAULT_DIFF_OPTIONS.mode };
  const report = checkAvroCompatibility([oldSchema.avro], newSchema.avro, options.mode);
  const ctx: DiffRenderContext = { options, oldSource: oldSchema.source, newSource: newSchema.source, categoryOf: (id) => avroRuleById(id)?.category, avro: true };
  if (newSchema.file !== undefined) ctx.newFile = newSchema.file;
  printDiff(format, report, ctx);
  return report.compatible ? ExitCode.Ok : ExitCode.Finding;
}

function printDiff(format: string, report: CompatibilityReport, ctx: DiffRenderContext): void {
  if (format === 'json') printJson(diffToJson(report, ctx));
  else if (format === 'github') printLines(renderDiffGithub(report, ctx));
  else if (format === 'markdown') printLines(renderDiffMarkdown(report, ctx));
  else printLines(renderDiffText(report, { ...ctx, paint: paint() }));
}

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const format = resolveFormat(opts, ['text', 'json', 'github', 'markdown']);
  const [oldOperand, newOperand] = args as [string, string];
  if (typeof oldOperand !== 'string' || typeof newOperand !== 'string') throw new InputError('tessera diff needs two schemas', 'tessera diff <old> <new>');
  const registry = registryResolver(opts);
  const [oldSchema, newSchema] = await loadSchemaOperands([oldOperand, newOperand], { registry: registry.resolve }).finally(registry.close);
  if (!oldSchema || !newSchema) throw new InputError('tessera diff needs two schemas', 'tessera diff <old> <new>');
  if (oldSchema.avro || newSchema.avro) return runAvro(oldSchema, newSchema, opts, format);

  // The engine loads only once both inputs are known to be good.
  const { checkCompatibility, ruleById } = await import('../../core/diff/index.js');

  // Flags win; otherwise a contract document's own settings; otherwise the defaults.
  const options: DiffOptions = {
    mode: (opts.mode as Mode | undefined) ?? newSchema.mode ?? DEFAULT_DIFF_OPTIONS.mode,
    contentModel: (opts.contentModel as ContentModel | undefined) ?? newSchema.contentModel ?? DEFAULT_DIFF_OPTIONS.contentModel,
    policy: (opts.policy as Policy | undefined) ?? DEFAULT_DIFF_OPTIONS.policy,
    profile: (opts.profile as Profile | undefined) ?? DEFAULT_DIFF_OPTIONS.profile,
  };
  const report = checkCompatibility([oldSchema.schema], newSchema.schema, options);

  const ctx: DiffRenderContext = {
    options,
    oldSource: oldSchema.source,
    newSource: newSchema.source,
    categoryOf: (id) => ruleById(id)?.category,
  };
  if (newSchema.file !== undefined) ctx.newFile = newSchema.file;

  printDiff(format, report, ctx);

  return report.compatible ? ExitCode.Ok : ExitCode.Finding;
}

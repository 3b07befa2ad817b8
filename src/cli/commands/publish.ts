import { withRegistry } from '../context.js';
import { loadSchemaOperand } from '../schema-operand.js';
import { readGuaranteesFile } from '../guarantees-file.js';
import { publishExtra, publishJson, publishNotes, renderPublishGithub, renderPublishMarkdown, renderPublishText, type PublishRenderInput } from '../render/publish.js';
import { paint, printJson, printLines, resolveFormat } from '../output.js';
import { publish, validatePublish } from '../../app/publish.js';
import type { PublishRequest as ContractRequest } from '../../core/publish.js';
import type { Mode, ContentModel } from '../../core/diff/types.js';
import { checkAssetId, checkVersion } from '../../core/paths.js';
import { ruleById } from '../../core/diff/index.js';
import { avroRuleById } from '../../core/avro/catalog.js';
import { ExitCode } from '../../core/errors.js';

export interface ContractInput {
  request: ContractRequest;
  source: string;
  file?: string;
}

/** The contract of `publish` and `check`: the schema operand, with --guarantees and the options laid over it. */
export async function loadContractInput(assetArg: string, fileArg: string, opts: Record<string, unknown>): Promise<ContractInput> {
  const asset = checkAssetId(assetArg);
  if (opts.version !== undefined) checkVersion(String(opts.version));
  const loaded = await loadSchemaOperand(fileArg);
  const guarantees = opts.guarantees ? await readGuaranteesFile(String(opts.guarantees)) : loaded.guarantees;
  const request: ContractRequest = { asset, schema: loaded.schema };
  // An Avro contract keeps its schema as given; `schema` is its column view.
  if (loaded.avro) request.avro = loaded.avro.schema;
  if (guarantees) request.guarantees = guarantees;
  const mode = (opts.mode as Mode | undefined) ?? loaded.mode;
  if (mode) request.mode = mode;
  const cm = (opts.contentModel as ContentModel | undefined) ?? loaded.contentModel;
  if (cm) request.contentModel = cm;
  for (const k of ['owner', 'version', 'description', 'kind'] as const) {
    if (opts[k] !== undefined) (request as unknown as Record<string, unknown>)[k] = String(opts[k]);
  }
  return { request, source: loaded.source, ...(loaded.file ? { file: loaded.file } : {}) };
}

/** Print a publish or a check in the chosen format. */
export function printPublish(format: string, render: Omit<PublishRenderInput, 'categoryOf' | 'paint'>): void {
  const input: PublishRenderInput = { ...render, categoryOf: (id) => ruleById(id)?.category ?? avroRuleById(id)?.category, paint: paint() };
  if (format === 'json') printJson(publishJson(input));
  else if (format === 'github') printLines(renderPublishGithub(input));
  else if (format === 'markdown') printLines(renderPublishMarkdown(input));
  else printLines(renderPublishText(input));
}

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const format = resolveFormat(opts, ['text', 'json', 'github', 'markdown']);
  const input = await loadContractInput(String(args[0]), String(args[1]), opts);
  const request = { contract: input.request, dryRun: Boolean(opts.dryRun), force: Boolean(opts.force), supersede: Boolean(opts.supersede), ...(opts.reason !== undefined ? { reason: opts.reason as string } : {}) };
  // Refused before the registry opens (which may create the default one).
  validatePublish(request);
  return withRegistry(opts, async (ctx) => {
    const { result: r } = await publish(ctx, request);
    printPublish(format, {
      decision: r.decision,
      action: r.action,
      dryRun: r.dryRun,
      source: input.source,
      options: r.options,
      notes: publishNotes(r),
      extra: publishExtra(r),
      ...(input.file ? { file: input.file } : {}),
    });
    return ExitCode.Ok;
  }, { writes: true });
}

import { withRegistry, type CommandContext } from '../context.js';
import { loadSchemaOperand } from '../schema-operand.js';
import { loadOpenApi, odcsSummary, renderSummary, type MappingSummary } from '../contract-formats.js';
import { readAsset } from '../../registry/state.js';
import type { Guarantee } from '../../core/model.js';
import { readGuaranteesFile } from '../guarantees-file.js';
import { publishExtra, publishJson, publishNotes, renderPublishGithub, renderPublishMarkdown, renderPublishText, type PublishRenderInput } from '../render/publish.js';
import { notice, paint, printJson, printLines, resolveFormat } from '../output.js';
import { publish, validatePublish } from '../../app/publish.js';
import type { PublishRequest as ContractRequest } from '../../core/publish.js';
import type { Mode, ContentModel } from '../../core/diff/types.js';
import { assetDir, checkAssetId, checkVersion } from '../../core/paths.js';
import { ruleById } from '../../core/diff/index.js';
import { avroRuleById } from '../../core/avro/catalog.js';
import { ExitCode, InputError } from '../../core/errors.js';

export interface ContractInput {
  request: ContractRequest;
  source: string;
  file?: string;
  /** The owner and kind came from the document (ODCS team, object type), not the options: they apply only to a new asset. */
  offered?: Array<'owner' | 'kind'>;
}

/** What `publish` and `check` read: one contract, or one per ODCS object or OpenAPI schema, with the mapping to show first. */
export interface ContractInputs {
  inputs: ContractInput[];
  summary?: MappingSummary;
  notices: string[];
}

/** The request for one contract: the options laid over what the document says. */
function requestOf(asset: string, loaded: { schema: ContractRequest['schema']; avro?: { schema: unknown } | undefined; guarantees?: Guarantee[] | undefined; mode?: Mode | undefined; contentModel?: ContentModel | undefined }, guarantees: Guarantee[] | undefined, opts: Record<string, unknown>): ContractRequest {
  const request: ContractRequest = { asset, schema: loaded.schema };
  // An Avro contract keeps its schema as given; `schema` is its column view.
  if (loaded.avro) request.avro = loaded.avro.schema;
  const g = guarantees ?? loaded.guarantees;
  if (g) request.guarantees = g;
  const mode = (opts.mode as Mode | undefined) ?? loaded.mode;
  if (mode) request.mode = mode;
  const cm = (opts.contentModel as ContentModel | undefined) ?? loaded.contentModel;
  if (cm) request.contentModel = cm;
  for (const k of ['owner', 'version', 'description', 'kind'] as const) {
    if (opts[k] !== undefined) (request as unknown as Record<string, unknown>)[k] = String(opts[k]);
  }
  return request;
}

/** The contract of `publish` and `check`: the schema operand, with --guarantees and the options laid over it. */
export async function loadContractInput(assetArg: string, fileArg: string, opts: Record<string, unknown>): Promise<ContractInput> {
  const { inputs } = await loadContractInputs(assetArg, fileArg, opts);
  return inputs[0]!;
}

export async function loadContractInputs(assetArg: string | undefined, fileArg: string | undefined, opts: Record<string, unknown>): Promise<ContractInputs> {
  if (opts.fromOpenapi !== undefined) return loadOpenApiInputs(assetArg, fileArg, opts);
  for (const k of ['prefix', 'operation'] as const) if (opts[k] !== undefined) throw new InputError(`--${k} is for --from-openapi`, 'drop it, or publish an OpenAPI document with --from-openapi FILE');
  if (assetArg === undefined || fileArg === undefined) throw new InputError('missing <asset> and <schema-file>', 'e.g. tessera publish analytics.users users.json, or tessera publish --from-openapi openapi.yaml');
  const asset = checkAssetId(assetArg);
  if (opts.version !== undefined) checkVersion(String(opts.version));
  const loaded = await loadSchemaOperand(fileArg, { odcsAll: true, ...(opts.object !== undefined ? { odcsObject: String(opts.object) } : {}) });
  const guarantees = opts.guarantees ? await readGuaranteesFile(String(opts.guarantees)) : undefined;
  const at = loaded.file ? { file: loaded.file } : {};
  if (!loaded.odcs) {
    if (opts.object !== undefined) throw new InputError(`${loaded.source}: --object is for ODCS contracts, and this is a JSON Schema`, 'drop --object');
    return { inputs: [{ request: requestOf(asset, loaded, guarantees, opts), source: loaded.source, ...at }], notices: [] };
  }
  const { mapping, schemas, notices } = loaded.odcs;
  const many = mapping.objects.length > 1;
  for (const k of ['guarantees', 'version'] as const) {
    if (many && opts[k] !== undefined) throw new InputError(`--${k} applies to one asset, and ${loaded.source} has ${mapping.objects.length} schema objects`, 'pick one with --object');
  }
  const inputs = mapping.objects.map((o, i): ContractInput => {
    const request = requestOf(many ? checkAssetId(`${asset}.${o.slug}`) : asset, { ...schemas[i]!, guarantees: o.guarantees }, guarantees, opts);
    const offered: Array<'owner' | 'kind'> = [];
    if (request.owner === undefined && mapping.owner) (request.owner = mapping.owner.team), offered.push('owner');
    if (request.kind === undefined && o.kind) (request.kind = o.kind), offered.push('kind');
    if (request.description === undefined && o.description !== undefined) request.description = o.description;
    return { request, source: `${loaded.source}#${o.name}`, ...at, offered };
  });
  const planned = inputs.map((inp, i) => ({ from: mapping.objects[i]!.name, asset: inp.request.asset, columns: mapping.objects[i]!.columns, guarantees: inp.request.guarantees?.length ?? 0 }));
  return { inputs, summary: odcsSummary(mapping, loaded.source, planned, opts.owner as string | undefined), notices };
}

/** `--from-openapi FILE`: one contract per component schema (or the --operation's response), judged under open content. */
async function loadOpenApiInputs(assetArg: string | undefined, fileArg: string | undefined, opts: Record<string, unknown>): Promise<ContractInputs> {
  if (assetArg !== undefined || fileArg !== undefined) throw new InputError('--from-openapi takes no <asset> or <schema-file>: the asset ids come from the document', 'drop them; choose the ids with --prefix');
  for (const k of ['object', 'guarantees', 'version'] as const) if (opts[k] !== undefined) throw new InputError(`--${k} does not apply to --from-openapi`, 'drop it');
  const file = String(opts.fromOpenapi);
  const loaded = await loadOpenApi(file, { ...(opts.prefix !== undefined ? { prefix: String(opts.prefix) } : {}), ...(opts.operation !== undefined ? { operation: String(opts.operation) } : {}) });
  const inputs = loaded.imported.schemas.map((s, i): ContractInput => {
    const request = requestOf(s.asset, { ...loaded.schemas[i]!, contentModel: 'open' }, undefined, opts);
    const offered: Array<'owner' | 'kind'> = [];
    if (request.kind === undefined) (request.kind = 'other'), offered.push('kind');
    if (request.description === undefined && s.description !== undefined) request.description = s.description;
    return { request, source: `${loaded.source}#${s.name}`, ...(loaded.file ? { file: loaded.file } : {}), offered };
  });
  const summary: MappingSummary = {
    format: 'openapi',
    source: loaded.source,
    version: loaded.imported.version,
    assets: loaded.imported.schemas.map((s, i) => ({ from: opts.operation !== undefined ? `operation ${s.name}` : `components.schemas.${s.name}`, asset: s.asset, columns: Object.keys((loaded.schemas[i]!.schema as { properties?: object }).properties ?? {}).length, guarantees: 0 })),
    channels: [],
    not_mapped: [],
  };
  return { inputs, summary, notices: [] };
}

/**
 * An ODCS team or object type only applies to a new asset: an existing one
 * keeps its owner and kind (publish refuses a different --owner, rightly;
 * an offered one is no claim).
 */
export async function dropOffersForExisting(ctx: CommandContext, inputs: ContractInput[]): Promise<void> {
  if (!inputs.some((i) => i.offered?.length)) return;
  const snap = await ctx.repo.snapshot(undefined, inputs.map((i) => assetDir(i.request.asset)));
  for (const i of inputs) {
    if (!i.offered?.length || !(await readAsset(snap, i.request.asset))) continue;
    for (const k of i.offered) delete i.request[k];
  }
}

/** Where the mapping goes: on stdout before the results in text, inside the document with --json, on stderr otherwise. */
export function showSummary(format: string, c: ContractInputs): void {
  for (const n of c.notices) notice(n);
  if (!c.summary || format === 'json') return;
  const lines = renderSummary(c.summary);
  if (format === 'text') printLines([...lines, '']);
  else for (const l of lines) notice(l);
}

/** Print a publish or a check in the chosen format; with `collect`, JSON is handed back instead of printed. */
export function printPublish(format: string, render: Omit<PublishRenderInput, 'categoryOf' | 'paint'>, collect?: unknown[], several = false): void {
  const input: PublishRenderInput = { ...render, categoryOf: (id) => ruleById(id)?.category ?? avroRuleById(id)?.category, paint: paint() };
  if (format === 'json') (collect ? collect.push(publishJson(input)) : printJson(publishJson(input)));
  else if (format === 'github') printLines(renderPublishGithub(input));
  else if (format === 'markdown') printLines(renderPublishMarkdown(input));
  // Of several assets, each verdict under its asset's name: a change line alone does not say which asset it is in.
  else if (several) printLines([`${render.decision.asset}:`, ...renderPublishText(input).map((l) => (l ? `  ${l}` : l))]);
  else printLines(renderPublishText(input));
}

/** With a mapping, --json is one document: the mapping, then each asset's result. */
export function printCollected(format: string, summary: MappingSummary | undefined, results: unknown[]): void {
  if (format === 'json' && summary) printJson({ mapping: summary, results });
}

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const format = resolveFormat(opts, ['text', 'json', 'github', 'markdown']);
  const loaded = await loadContractInputs(args[0] as string | undefined, args[1] as string | undefined, opts);
  const flags = { dryRun: Boolean(opts.dryRun), force: Boolean(opts.force), supersede: Boolean(opts.supersede), ...(opts.reason !== undefined ? { reason: opts.reason as string } : {}) };
  // Refused before the registry opens (which may create the default one).
  validatePublish(flags);
  showSummary(format, loaded);
  return withRegistry(opts, async (ctx) => {
    await dropOffersForExisting(ctx, loaded.inputs);
    // Several assets: every refusal a dry run can see comes before the first write.
    if (loaded.inputs.length > 1 && !flags.dryRun) for (const input of loaded.inputs) await publish(ctx, { ...flags, contract: input.request, dryRun: true });
    const collected: unknown[] = [];
    for (const input of loaded.inputs) {
      const { result: r } = await publish(ctx, { ...flags, contract: input.request });
      printPublish(format, {
        decision: r.decision,
        action: r.action,
        dryRun: r.dryRun,
        source: input.source,
        options: r.options,
        notes: publishNotes(r),
        extra: publishExtra(r),
        ...(input.file ? { file: input.file } : {}),
        ...(input.request.avro !== undefined ? { avro: true } : {}),
      }, loaded.summary ? collected : undefined, loaded.inputs.length > 1);
    }
    printCollected(format, loaded.summary, collected);
    return ExitCode.Ok;
  }, { writes: true });
}

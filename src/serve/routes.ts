/**
 * The routes of `tessera serve` under /api/v1: each a thin call into app/
 * (writes) or the shared read routes in src/http (reads), described once here
 * so the OpenAPI document (openapi.ts) is generated from what is served.
 */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { publish, type PublishResult } from '../app/publish.js';
import { ack } from '../app/ack.js';
import { check } from '../app/check.js';
import { isAvroDocument, looksLikeAvro } from '../core/avro/detect.js';
import type { AvroContract } from '../core/avro/load.js';
import { consume } from '../app/consume.js';
import { unconsume } from '../app/unconsume.js';
import { withdraw } from '../app/withdraw.js';
import { merge } from '../app/merge.js';
import type { KeyPrincipal, KeyScope } from '../core/keys.js';
import { validateSchemaValue } from '../core/schema/index.js';
import { checkCompatibility, type JsonSchema } from '../core/diff/index.js';
import { InputError } from '../core/errors.js';
import { MODES } from '../core/diff/types.js';
import { assetPath, checkVersion, MAIN_REF } from '../core/paths.js';
import { forceProposal } from '../http/force.js';
import { contractFromLoaded } from '../http/contract.js';
import type { PublishRequest as ContractRequest } from '../core/publish.js';
import { assetIdParam, proposalIdParam, teamParam } from '../http/params.js';
import { changeView } from '../http/data/diff.js';
import { HttpError } from '../http/errors.js';
import { json, type Reply } from '../http/reply.js';
import { syncDbtBody, syncDbtRoute, syncDbtSchema } from './sync-dbt.js';

export type Method = 'GET' | 'POST' | 'DELETE';

export interface RouteRequest {
  params: string[];
  query: URLSearchParams;
  body: unknown;
  /** The AppContext whose identity is the key's. */
  ctx: AppContext;
  principal: KeyPrincipal;
}

export interface Route {
  method: Method;
  /** The OpenAPI path template, e.g. /assets/{id}/contracts. */
  path: string;
  scope: KeyScope;
  summary: string;
  /** Responses the route gives besides the common errors (OpenAPI). */
  responses: Record<string, string>;
  /** The request body's JSON Schema (OpenAPI), when the route takes one. */
  body?: Record<string, unknown>;
  query?: string[];
  /** A route whose bodies are manifests takes the manifest limit instead of --max-body. */
  bodyLimit?: 'manifest';
  /** Reads delegate to the shared routes of src/http; writes run a workflow. */
  handle: (r: RouteRequest) => Promise<Reply> | 'shared-read';
}

/** The body as an object, or a 400 naming what to send. */
export function object<T extends z.ZodType>(body: unknown, schema: T): z.infer<T> {
  if (body === undefined) throw new HttpError(400, 'invalid_body', 'this request needs a JSON body', 'send a JSON object with Content-Type: application/json');
  const r = schema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const at = issue.path.length ? issue.path.join('.') : 'the body';
    throw new HttpError(400, 'invalid_body', `${at}: ${issue.message}`, 'see the request schema at /api/v1/openapi.json');
  }
  return r.data;
}

/** A key acts for its own team only. */
function ownTeam(principal: KeyPrincipal, team: string, action: string): void {
  if (team !== principal.team) throw new HttpError(403, 'wrong_team', `key ${principal.keyId} acts for team ${principal.team}, not ${team}`, `${action} with a key of team ${team}`);
}

/** A schema the CLI would refuse is refused with 422 and the CLI's message. */
async function contractSchema(value: unknown, source: string) {
  try {
    return await validateSchemaValue(value, source);
  } catch (e) {
    if (e instanceof InputError) throw new HttpError(422, 'invalid_schema', e.message, e.hint ?? 'send a valid JSON Schema');
    throw e;
  }
}

const publishBody = z
  .object({
    schema: z.unknown().refine((v) => v !== undefined, 'is required'),
    compatibility_mode: z.string().optional(),
    content_model: z.string().optional(),
    guarantees: z.array(z.unknown()).optional(),
    version: z.string().optional(),
    owner: z.string().optional(),
    description: z.string().max(10_000).optional(),
  })
  .loose();

const ACTIONS: Record<PublishResult['action'], { status: number; action: string }> = {
  'contract.published': { status: 201, action: 'published' },
  'contract.forced': { status: 201, action: 'force_published' },
  unchanged: { status: 200, action: 'unchanged' },
  'proposal.created': { status: 202, action: 'proposal_created' },
  'proposal.superseded': { status: 202, action: 'proposal_superseded' },
};

/** The reply the original server's clients read: `action`, `version`, `proposal`, `changes`. */
function publishReply(r: PublishResult): Reply {
  const { status, action } = ACTIONS[r.action];
  const d = r.decision;
  const changes = 'report' in d ? d.report.changes.map(changeView) : [];
  return json(
    {
      action,
      asset: d.asset,
      version: d.version,
      ...('from' in d ? { from_version: d.from } : {}),
      ...(r.owner ? { owner: r.owner } : {}),
      ...(r.proposal ? { proposal: r.proposal } : {}),
      ...(r.forced ? { forced: { missing_teams: r.forced.missingTeams, ...(r.forced.proposal ? { proposal: r.forced.proposal } : {}) } } : {}),
      changes,
    },
    status,
  );
}

const schemaBody = { type: 'object', required: ['schema'], properties: { schema: { type: 'object' }, compatibility_mode: { type: 'string', enum: [...MODES] }, content_model: { type: 'string', enum: ['open', 'closed'] }, guarantees: { type: 'array', items: { type: 'object' } }, version: { type: 'string' }, owner: { type: 'string' }, description: { type: 'string' } } };
const reasonBody = { type: 'object', properties: { reason: { type: 'string' } } };

export const ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/assets/{id}/contracts',
    scope: 'write',
    summary: 'publish a contract: 201 published, 200 unchanged, 202 a proposal for a breaking change',
    responses: { '200': 'unchanged', '201': 'published', '202': 'proposal created: the consumer teams must acknowledge' },
    body: schemaBody,
    handle: async ({ params, body, ctx, principal }) => {
      const asset = assetIdParam(params[0]!);
      const b = object(body, publishBody);
      const loaded = await contractSchema({ schema: b.schema, ...(b.compatibility_mode !== undefined ? { compatibility_mode: b.compatibility_mode } : {}), ...(b.content_model !== undefined ? { content_model: b.content_model } : {}), ...(b.guarantees ? { guarantees: b.guarantees } : {}) }, 'the request body');
      if (b.version !== undefined) checkVersion(b.version);
      const contract = contractFromLoaded(asset, loaded, b.owner ?? principal.team);
      if (b.version !== undefined) contract.version = b.version;
      if (b.description !== undefined) contract.description = b.description;
      const { result } = await publish(ctx, { contract });
      return publishReply(result);
    },
  },
  {
    method: 'POST',
    path: '/proposals/{id}/acknowledge',
    scope: 'write',
    summary: "acknowledge a proposal as the key's team: approve, migrating or block",
    responses: { '200': 'the answer recorded (and the proposal merged when it was the last one)' },
    body: { type: 'object', required: ['decision'], properties: { decision: { type: 'string', enum: ['approve', 'migrating', 'block'] }, note: { type: 'string' }, team: { type: 'string' } } },
    handle: async ({ params, body, ctx, principal }) => {
      const id = proposalIdParam(params[0]!);
      const b = object(body, z.object({ decision: z.enum(['approve', 'migrating', 'block']), note: z.string().max(2000).optional(), team: z.string().optional() }).loose());
      if (b.team !== undefined) ownTeam(principal, b.team, 'acknowledge');
      const { result: r } = await ack(ctx, { target: id, team: principal.team, decision: b.decision, ...(b.note !== undefined ? { note: b.note } : {}) });
      return json({ proposal: r.proposal.id, team: r.team, decision: r.ack.decision, unchanged: r.unchanged, merged: r.merged, pending: r.pending, blocked: r.blocked });
    },
  },
  { method: 'GET', path: '/assets', scope: 'read', summary: 'list assets (filters q, owner, kind, consumer; paging offset, limit)', query: ['q', 'owner', 'kind', 'consumer', 'offset', 'limit'], responses: { '200': 'a page of assets' }, handle: () => 'shared-read' },
  { method: 'GET', path: '/assets/{id}', scope: 'read', summary: 'one asset: current contract, consumers, open proposals', responses: { '200': 'the asset', '404': 'no such asset' }, handle: () => 'shared-read' },
  { method: 'GET', path: '/assets/{id}/contracts', scope: 'read', summary: "every published version of an asset's contract", responses: { '200': 'the versions', '404': 'no such asset' }, handle: () => 'shared-read' },
  { method: 'GET', path: '/assets/{id}/contracts/diff', scope: 'read', summary: 'the diff between two versions (from, to; default the last two)', query: ['from', 'to'], responses: { '200': 'the diff', '404': 'no such asset or version' }, handle: () => 'shared-read' },
  { method: 'GET', path: '/assets/{id}/contracts/{version}', scope: 'read', summary: 'one version of a contract', responses: { '200': 'the version', '404': 'no such asset or version' }, handle: () => 'shared-read' },
  {
    method: 'POST',
    path: '/assets/{id}/registrations',
    scope: 'write',
    summary: "register the key's team as a consumer of the asset",
    responses: { '201': 'registered', '200': 'updated or unchanged' },
    body: { type: 'object', properties: { purpose: { type: 'string' }, fields: { type: 'array', items: { type: 'string' } } } },
    handle: async ({ params, body, ctx, principal }) => {
      const asset = assetIdParam(params[0]!);
      const b = object(body ?? {}, z.object({ purpose: z.string().max(2000).optional(), fields: z.array(z.string()).optional() }).loose());
      const { result } = await consume(ctx, { asset, team: principal.team, ...(b.purpose !== undefined ? { purpose: b.purpose } : {}), ...(b.fields ? { fields: b.fields } : {}) });
      return json({ action: result.action, consumer: result.consumer }, result.action === 'registered' ? 201 : 200);
    },
  },
  {
    method: 'DELETE',
    path: '/assets/{id}/registrations/{team}',
    scope: 'write',
    summary: "unregister the key's own team",
    responses: { '200': 'unregistered' },
    handle: async ({ params, ctx, principal }) => {
      const asset = assetIdParam(params[0]!);
      const team = teamParam(params[1]!);
      ownTeam(principal, team, 'unregister');
      const { result } = await unconsume(ctx, { asset, team });
      return json(result);
    },
  },
  { method: 'GET', path: '/proposals', scope: 'read', summary: 'open proposals (filters status, asset, pending_for: the team whose answer they wait for)', query: ['status', 'asset', 'pending_for'], responses: { '200': 'the proposals' }, handle: () => 'shared-read' },
  { method: 'GET', path: '/proposals/{id}', scope: 'read', summary: 'one proposal: changes, answers, who is pending', responses: { '200': 'the proposal', '404': 'no such proposal' }, handle: () => 'shared-read' },
  {
    method: 'POST',
    path: '/proposals/{id}/withdraw',
    scope: 'write',
    summary: 'withdraw a proposal (its producer)',
    responses: { '200': 'withdrawn' },
    body: reasonBody,
    handle: async ({ params, body, ctx }) => {
      const id = proposalIdParam(params[0]!);
      const b = object(body ?? {}, z.object({ reason: z.string().max(2000).optional() }).loose());
      const { result } = await withdraw(ctx, { target: id, ...(b.reason !== undefined ? { reason: b.reason } : {}) });
      return json({ action: 'withdrawn', proposal: result });
    },
  },
  {
    method: 'POST',
    path: '/proposals/{id}/merge',
    scope: 'write',
    summary: 'merge a proposal every consumer team has approved',
    responses: { '200': 'merged' },
    handle: async ({ params, ctx }) => {
      const id = proposalIdParam(params[0]!);
      const { result } = await merge(ctx, { target: id });
      return json({ action: 'merged', proposal: result.proposal.id, version: result.proposal.to_version, commit: result.commit ?? null });
    },
  },
  {
    method: 'POST',
    path: '/proposals/{id}/force',
    scope: 'write',
    summary: "publish a proposal's contract over missing acks, with the reason recorded (the producer)",
    responses: { '201': 'force-published' },
    body: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } },
    handle: async ({ params, body, ctx }) => {
      const id = proposalIdParam(params[0]!);
      const b = object(body, z.object({ reason: z.string().trim().min(1, 'is required: say why, it is recorded').max(2000) }).loose());
      const { result } = await forceProposal(ctx, id, b.reason);
      return publishReply(result);
    },
  },
  {
    method: 'POST',
    path: '/compat/check',
    scope: 'read',
    summary: "the verdict of a schema against another (old) or against an asset's current contract (asset), as publish would judge it; nothing written. JSON Schema or Avro",
    responses: { '200': 'the verdict and the changes' },
    body: { type: 'object', required: ['new'], properties: { new: { type: 'object' }, old: { type: 'object' }, asset: { type: 'string' }, compatibility_mode: { type: 'string', enum: [...MODES] }, content_model: { type: 'string', enum: ['open', 'closed'] } } },
    handle: async ({ body, ctx }) => {
      const b = object(body, z.object({ old: z.unknown().optional(), new: z.unknown().optional(), asset: z.string().optional(), compatibility_mode: z.enum(MODES).optional(), content_model: z.enum(['open', 'closed']).optional() }).loose());
      if (b.new === undefined) throw new HttpError(400, 'invalid_body', 'new: is required', 'send the schema to judge as "new"');
      if ((b.old === undefined) === (b.asset === undefined)) throw new HttpError(400, 'invalid_body', 'send exactly one of "old" (a schema) and "asset" (an asset id)', 'old judges new against that schema; asset judges it against the asset\'s current contract');
      const avro = looksLikeAvro(b.new) || isAvroDocument(b.new);
      if (b.asset !== undefined) return compatAgainstAsset(ctx, assetIdParam(b.asset), b.new, avro, b.compatibility_mode);
      const mode = b.compatibility_mode ?? 'backward';
      if (avro) {
        const { loadAvroValue } = await import('../core/avro/load.js');
        const { checkAvroCompatibility } = await import('../core/avro/check.js');
        const report = checkAvroCompatibility([avroOf(loadAvroValue, b.old, 'old')], avroOf(loadAvroValue, b.new, 'new'), mode);
        return json({ format: 'avro', compatible: report.compatible, mode, bump: report.bump, changes: report.changes.map(changeView) });
      }
      const from = await contractSchema(b.old, 'old');
      const to = await contractSchema(b.new, 'new');
      const judged = b.compatibility_mode ?? to.mode ?? 'backward';
      const report = checkCompatibility([from.schema as JsonSchema], to.schema as JsonSchema, { mode: judged, contentModel: b.content_model ?? to.contentModel ?? 'closed', policy: 'strict', profile: 'tessera' });
      return json({ format: 'json-schema', compatible: report.compatible, mode: judged, bump: report.bump, changes: report.changes.map(changeView) });
    },
  },
  {
    method: 'POST',
    path: '/sync/dbt',
    scope: 'write',
    summary: 'sync a dbt manifest (tessera sync-dbt): the same report as tessera sync-dbt --json; dry_run writes nothing',
    responses: { '200': 'the sync report (tessera.sync-dbt/v1)' },
    body: syncDbtSchema,
    bodyLimit: 'manifest',
    handle: ({ body, ctx, principal }) => syncDbtRoute(object(body, syncDbtBody), ctx, principal),
  },
  { method: 'GET', path: '/log', scope: 'read', summary: "the registry's audit log (filters event, asset, team, since, until; limit)", query: ['event', 'asset', 'team', 'since', 'until', 'limit'], responses: { '200': 'the log' }, handle: () => 'shared-read' },
  { method: 'GET', path: '/teams', scope: 'read', summary: 'the teams and their members', responses: { '200': 'the teams' }, handle: () => 'shared-read' },
];

/** The route a method and path name, with its path parameters; `allowed` lists the methods the path has when none matches. */
export function matchRoute(method: string, path: string): { route: Route; params: string[] } | { allowed: Method[] } | undefined {
  const allowed: Method[] = [];
  for (const route of ROUTES) {
    const m = PATTERNS.get(route)!.exec(path);
    if (!m) continue;
    if (route.method === method) return { route, params: m.slice(1) };
    allowed.push(route.method);
  }
  return allowed.length ? { allowed } : undefined;
}

const PATTERNS = new Map(
  ROUTES.map((r) => {
    // diff is a word, not a version: the version segment only matches what could be one.
    const src = r.path.replace(/\{version\}/g, '(\\d+\\.\\d+\\.\\d+[^/]*)').replace(/\{[a-z]+\}/g, '([^/]+)');
    return [r, new RegExp(`^/api/v1${src}$`)];
  }),
);

/** An Avro schema of a request, or the 422 the CLI's refusal would be. */
function avroOf(load: (value: unknown, source: string) => AvroContract, value: unknown, source: string): AvroContract {
  try {
    return load(isAvroDocument(value) ? value.avro : value, source);
  } catch (e) {
    if (e instanceof InputError) throw new HttpError(422, 'invalid_schema', e.message, e.hint ?? 'send a valid Avro schema');
    throw e;
  }
}

/** `tessera check <asset>` over HTTP: the verdict publish would give, with the teams it would wait for. */
async function compatAgainstAsset(ctx: AppContext, asset: string, value: unknown, avro: boolean, mode: (typeof MODES)[number] | undefined): Promise<Reply> {
  // There is no current contract to judge against: say so (publish would create the asset).
  if (!(await ctx.repo.snapshotPaths(MAIN_REF, [assetPath(asset)])).has(assetPath(asset))) {
    throw new InputError(`unknown asset '${asset}'`, 'see GET /api/v1/assets for the registered assets, or send "old" to judge against a schema of your own', 'not_found');
  }
  let contract: ContractRequest;
  if (avro) {
    const { loadAvroValue } = await import('../core/avro/load.js');
    const a = avroOf(loadAvroValue, value, 'new');
    contract = { asset, schema: a.view as JsonSchema, avro: a.schema, ...(mode ? { mode } : {}) };
  } else {
    const loaded = await contractSchema(value, 'new');
    contract = { asset, schema: loaded.schema as JsonSchema, ...(loaded.guarantees ? { guarantees: loaded.guarantees } : {}), ...((mode ?? loaded.mode) ? { mode: (mode ?? loaded.mode)! } : {}) };
  }
  const { result: r } = await check(ctx, contract);
  const d = r.decision;
  const report = 'report' in d ? d.report : undefined;
  return json({
    format: avro ? 'avro' : 'json-schema',
    asset,
    action: r.breaking ? 'breaking' : d.action,
    compatible: !r.breaking,
    mode: r.options.mode,
    ...(report ? { bump: report.bump, changes: report.changes.map(changeView) } : { changes: [] }),
    ...('from' in d ? { from_version: d.from } : {}),
    version: d.version,
    ...(r.teams ? { required_teams: r.teams.required, informed_teams: r.teams.informed } : {}),
  });
}

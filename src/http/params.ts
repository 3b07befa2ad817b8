/** Request parameters, validated before they reach the registry: hostile input gives 400, not a traceback. */
import { checkAssetId, checkTeamName, checkVersion } from '../core/paths.js';
import { PROPOSAL_ID_PATTERN } from '../core/proposal.js';
import { ASSET_KINDS } from '../core/model.js';
import { proposalStatusSchema } from '../core/model.js';
import { InputError } from '../core/errors.js';
import type { AssetFilter, LogFilter } from './model.js';

export function pathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new InputError('the address is not valid URL encoding', 'check the link');
  }
}

export const assetIdParam = (raw: string) => checkAssetId(pathSegment(raw));

export function proposalIdParam(raw: string): string {
  const id = pathSegment(raw);
  if (!PROPOSAL_ID_PATTERN.test(id)) throw new InputError(`${JSON.stringify(id.slice(0, 40))} is not a proposal id`, 'proposal ids look like p-1a2b3c4d');
  return id;
}

function one(q: URLSearchParams, name: string, max = 200): string | undefined {
  const v = q.get(name)?.trim();
  if (!v) return undefined;
  if (v.length > max) throw new InputError(`the ${name} filter is longer than ${max} characters`, 'shorten it');
  return v;
}

export function optionalVersion(q: URLSearchParams, name: string): string | undefined {
  const v = one(q, name, 40);
  return v === undefined ? undefined : checkVersion(v);
}

export function assetFilter(q: URLSearchParams): AssetFilter {
  const f: AssetFilter = {};
  const search = one(q, 'q');
  if (search) f.q = search;
  const owner = one(q, 'owner', 80);
  if (owner) f.owner = checkTeamName(owner);
  const consumer = one(q, 'consumer', 80);
  if (consumer) f.consumer = checkTeamName(consumer);
  const kind = one(q, 'kind', 40);
  if (kind) {
    if (!(ASSET_KINDS as readonly string[]).includes(kind)) throw new InputError(`unknown kind '${kind}'`, `use one of: ${ASSET_KINDS.join(', ')}`);
    f.kind = kind;
  }
  return f;
}

export function proposalFilter(q: URLSearchParams): { status?: string; asset?: string } {
  const out: { status?: string; asset?: string } = {};
  const status = one(q, 'status', 40);
  if (status) {
    if (!proposalStatusSchema.safeParse(status).success) throw new InputError(`unknown status '${status}'`, `use one of: ${proposalStatusSchema.options.join(', ')}`);
    out.status = status;
  }
  const asset = one(q, 'asset');
  if (asset) out.asset = checkAssetId(asset);
  return out;
}

export function logFilter(q: URLSearchParams): LogFilter {
  const f: LogFilter = {};
  for (const k of ['event', 'asset', 'team', 'since', 'until'] as const) {
    const v = one(q, k);
    if (v) f[k] = v;
  }
  for (const k of ['since', 'until'] as const) {
    if (f[k] && Number.isNaN(Date.parse(f[k]!))) throw new InputError(`${k}=${JSON.stringify(f[k])} is not a date`, 'use an ISO date like 2026-01-31');
  }
  return f;
}

export function intParam(q: URLSearchParams, name: string, fallback: number, max: number): number {
  const v = q.get(name);
  if (v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${name}=${JSON.stringify(v.slice(0, 20))} is not a whole number`);
  return Math.min(n, max);
}

export const versionParam = (raw: string) => checkVersion(pathSegment(raw));
export const teamParam = (raw: string) => checkTeamName(pathSegment(raw));

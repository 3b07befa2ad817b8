/**
 * Shared by `publish` and `check`: load the contract input, and plan a
 * publish against a snapshot (pure planning in core/publish.ts).
 */
import { loadSchemaOperand } from './schema-operand.js';
import { readGuaranteesFile } from './guarantees-file.js';
import type { Snapshot } from '../registry/snapshot.js';
import { readAssetHistory } from '../registry/asset-state.js';
import { readConfig, requireTeam } from '../registry/state.js';
import { planPublish, type PublishDecision, type PublishRequest } from '../core/publish.js';
import { assertMember } from '../core/membership.js';
import type { RegistryConfig } from '../core/model.js';
import type { Mode, ContentModel } from '../core/diff/types.js';
import { checkAssetId, checkVersion } from '../core/paths.js';

export interface ContractInput {
  request: PublishRequest;
  source: string;
  file?: string;
}

export async function loadContractInput(assetArg: string, fileArg: string, opts: Record<string, unknown>): Promise<ContractInput> {
  const asset = checkAssetId(assetArg);
  if (opts.version !== undefined) checkVersion(String(opts.version));
  const loaded = await loadSchemaOperand(fileArg);
  const guarantees = opts.guarantees ? await readGuaranteesFile(String(opts.guarantees)) : loaded.guarantees;
  const request: PublishRequest = { asset, schema: loaded.schema };
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

export interface PlannedPublish {
  config: RegistryConfig;
  decision: PublishDecision;
  owner: string | undefined;
}

/** Plan a publish; `enforceMembership` is off for `check`, which writes nothing. */
export async function planPublishOn(snap: Snapshot, request: PublishRequest, actor: string, now: string, enforceMembership: boolean): Promise<PlannedPublish> {
  const config = await readConfig(snap);
  const history = await readAssetHistory(snap, request.asset);
  const ownerName = history.asset?.owner ?? request.owner;
  if (ownerName && enforceMembership) {
    const team = await requireTeam(snap, ownerName);
    assertMember(config, team, actor, `publish for it`);
  }
  const decision = planPublish(request, history, { config, actor, now });
  return { config, decision, owner: ownerName };
}

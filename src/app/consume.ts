/**
 * `consume`: register a team as a consumer of an asset (or change its
 * purpose or field list). The registration belongs to the asset, so it
 * carries over every later version. A proposal already open is not touched:
 * its ack and merge read the consumers registered at that moment, so a team
 * registered late is waited for like the others.
 */
import type { AppContext, Outcome } from './context.js';
import { writeMain } from './write-main.js';
import type { DomainEvent } from '../core/events.js';
import { planConsume } from '../core/consume.js';
import { consumerSchema, type Asset, type Consumer, type RegistryConfig, type Team } from '../core/model.js';
import { assetDir, checkAssetId, checkTeamName, CONFIG_PATH, consumerPath, MAIN_REF, teamPath } from '../core/paths.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { readConfig, requireAsset, requireTeam } from '../registry/state.js';
import type { Snapshot } from '../registry/snapshot.js';

export interface ConsumeRequest {
  asset: string;
  team: string;
  purpose?: string;
  /** The fields the team reads (undefined: the whole contract, or as registered before). */
  fields?: string[];
}

export interface ConsumeResult {
  action: 'registered' | 'updated' | 'unchanged';
  consumer: Consumer;
}

export async function consume(ctx: AppContext, request: ConsumeRequest): Promise<Outcome<ConsumeResult>> {
  const asset = checkAssetId(request.asset);
  const team = checkTeamName(request.team);
  const { purpose, fields } = request;
  const { result, commit, retries } = await writeMain(
    ctx,
    async ({ snap, actor, now }) => {
      const { config, a, t, existing } = await readRegistration(snap, asset, team);
      const { files, ...decision } = planConsume(a, t, existing, { ...(purpose !== undefined ? { purpose } : {}), ...(fields ? { fields } : {}) }, { config, actor: actor.email, now });
      // An update of purpose or fields is recorded under the same event: the registration is what changed.
      const events: DomainEvent[] = files.length > 0 ? [{ type: 'consumer.registered', actor: actor.email, at: now, asset, team }] : [];
      return { files, message: formatCommitMessage(`${team} consumes ${asset}`, { event: 'consumer.registered', actor: actor.email, assets: [asset], team }), result: { decision, events } };
    },
    { pathspecs: registrationPaths(asset, team) },
  );
  return { result: result.decision, commits: commit ? { [MAIN_REF]: commit } : {}, events: commit ? result.events.map((e) => ({ ...e, commit })) : result.events, retries };
}

/** What a change of one registration reads (shared with unconsume): the settings, the asset, the team and the registration, if any. */
export async function readRegistration(snap: Snapshot, asset: string, team: string): Promise<{ config: RegistryConfig; a: Asset; t: Team; existing: Consumer | undefined }> {
  const config = await readConfig(snap);
  const a = await requireAsset(snap, asset);
  const t = await requireTeam(snap, team);
  return { config, a, t, existing: await snap.read(consumerPath(asset, team), consumerSchema) };
}

export function registrationPaths(asset: string, team: string): string[] {
  return [CONFIG_PATH, teamPath(team), assetDir(asset)];
}

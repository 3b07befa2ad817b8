/**
 * `consume`: register a team as a consumer of an asset (or change its
 * purpose or field list). The registration belongs to the asset, so it
 * carries over every later version. A proposal already open is not touched:
 * its ack and merge read the consumers registered at that moment, so a team
 * registered late is waited for like the others, and a team whose fields
 * change is re-evaluated against its footprint (docs/scoped-acks.md): the
 * commit records the fields before and after and the team's standing, and a
 * team that narrows its fields stays required (`required_for`).
 */
import type { AppContext, Outcome } from './context.js';
import { writeMain } from './write-main.js';
import type { DomainEvent } from '../core/events.js';
import { planConsume } from '../core/consume.js';
import { consumerSchema, versionSchema, type Asset, type Consumer, type RegistryConfig, type Team } from '../core/model.js';
import { assetDir, checkAssetId, checkTeamName, CONFIG_PATH, consumerPath, MAIN_REF, teamPath, versionPath } from '../core/paths.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { encodeYaml } from '../core/codec.js';
import { checkDeclaredFields } from '../core/scope/fields.js';
import { evaluateTeams, type TeamScope } from '../core/scope/teams.js';
import { readConfig, requireAsset, requireTeam } from '../registry/state.js';
import { findOpenProposal } from '../registry/proposals.js';
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
  /** The asset's open proposal, when the change of fields re-evaluated the team on it: its standing before and after. */
  scope?: { proposal: string; before: TeamScope; after: TeamScope };
}

const fieldList = (c: Consumer | undefined) => (c?.fields?.length ? c.fields.join(', ') : 'all fields');

export async function consume(ctx: AppContext, request: ConsumeRequest): Promise<Outcome<ConsumeResult>> {
  const asset = checkAssetId(request.asset);
  const team = checkTeamName(request.team);
  const { purpose, fields } = request;
  const open = fields ? await findOpenProposal(ctx.repo, asset) : undefined;
  const { result, commit, retries } = await writeMain(
    ctx,
    async ({ snap, actor, now }) => {
      const { config, a, t, existing } = await readRegistration(snap, asset, team);
      if (fields) {
        const current = await snap.read(versionPath(asset, a.current_version), versionSchema);
        if (current) checkDeclaredFields(asset, a.current_version, current.schema, fields);
      }
      const planned = planConsume(a, t, existing, { ...(purpose !== undefined ? { purpose } : {}), ...(fields ? { fields } : {}) }, { config, actor: actor.email, now });
      let { files, ...decision } = planned;
      const extra: Record<string, string> = {};
      let scope: ConsumeResult['scope'];
      const p = open?.proposal;
      if (p && decision.action === 'updated' && fieldList(existing) !== fieldList(decision.consumer)) {
        const strict = config.policy.strict_acks;
        const before = evaluateTeams(p, [existing!], strict)[0]!;
        let next = decision.consumer;
        let after = evaluateTeams(p, [next], strict)[0]!;
        if (before.required && !after.required) {
          // Narrowing never removes an ack already needed for the changes the team has seen.
          next = { ...next, required_for: [p.id] };
          after = evaluateTeams(p, [next], strict)[0]!;
          const path = consumerPath(asset, team);
          files = [{ path, content: encodeYaml(path, consumerSchema, next) }];
          decision = { ...decision, consumer: next };
        }
        scope = { proposal: p.id, before, after };
        Object.assign(extra, { 'Fields-Before': fieldList(existing), Fields: fieldList(next), Standing: `${before.required ? 'required' : 'informed'} -> ${after.required ? 'required' : 'informed'} on ${p.id}: ${after.reason}` });
      }
      // An update of purpose or fields is recorded under the same event: the registration is what changed.
      const events: DomainEvent[] = files.length > 0 ? [{ type: 'consumer.registered', actor: actor.email, at: now, asset, team }] : [];
      const message = formatCommitMessage(`${team} consumes ${asset}${scope ? ` (fields: ${fieldList(decision.consumer)})` : ''}`, { event: 'consumer.registered', actor: actor.email, assets: [asset], team, ...(scope ? { proposal: scope.proposal, extra } : {}) });
      return { files, message, result: { decision: { ...decision, ...(scope ? { scope } : {}) }, events } };
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

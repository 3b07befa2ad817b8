/** `unconsume`: remove a team's registration as a consumer of an asset; its acks go with it. */
import type { AppContext, Outcome } from './context.js';
import { writeMain } from './write-main.js';
import type { DomainEvent } from '../core/events.js';
import { planUnconsume } from '../core/consume.js';
import { checkAssetId, checkTeamName, MAIN_REF } from '../core/paths.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { readRegistration, registrationPaths } from './consume.js';

export interface UnconsumeRequest {
  asset: string;
  team: string;
}

export interface UnconsumeResult {
  asset: string;
  team: string;
}

export async function unconsume(ctx: AppContext, request: UnconsumeRequest): Promise<Outcome<UnconsumeResult>> {
  const asset = checkAssetId(request.asset);
  const team = checkTeamName(request.team);
  const { result: events, commit, retries } = await writeMain(
    ctx,
    async ({ snap, actor, now }) => {
      const { config, a, t, existing } = await readRegistration(snap, asset, team);
      const { files } = planUnconsume(a, t, existing, { config, actor: actor.email });
      const events: DomainEvent[] = [{ type: 'consumer.unregistered', actor: actor.email, at: now, asset, team }];
      return { files, message: formatCommitMessage(`${team} no longer consumes ${asset}`, { event: 'consumer.unregistered', actor: actor.email, assets: [asset], team }), result: events };
    },
    { pathspecs: registrationPaths(asset, team) },
  );
  return { result: { asset, team }, commits: commit ? { [MAIN_REF]: commit } : {}, events: commit ? events.map((e) => ({ ...e, commit })) : events, retries };
}

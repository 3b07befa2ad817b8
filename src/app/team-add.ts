/** `team add`: create a team, or add members (or a contact) to one. One commit on main, or none when nothing changes. */
import type { AppContext, Outcome } from './context.js';
import { writeMain } from './write-main.js';
import type { DomainEvent } from '../core/events.js';
import { planTeamAdd } from '../core/team.js';
import type { Team } from '../core/model.js';
import { checkTeamName, CONFIG_PATH, MAIN_REF, teamPath } from '../core/paths.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { readConfig, readTeam } from '../registry/state.js';

export interface TeamAddRequest {
  name: string;
  /** Member emails to add (none: an empty team anyone may claim). */
  members: string[];
  contact?: string;
}

export interface TeamAddResult {
  action: 'created' | 'updated' | 'unchanged';
  team: Team;
  /** The members this run added. */
  added: string[];
}

export async function teamAdd(ctx: AppContext, request: TeamAddRequest): Promise<Outcome<TeamAddResult>> {
  const name = checkTeamName(request.name);
  const { result, commit, retries } = await writeMain(
    ctx,
    async ({ snap, actor, now }) => {
      const config = await readConfig(snap);
      const { files, ...decision } = planTeamAdd(await readTeam(snap, name), { name, members: request.members, ...(request.contact !== undefined ? { contact: request.contact } : {}) }, { config, actor: actor.email, now });
      const event = decision.action === 'created' ? 'team.created' : 'team.updated';
      const subject = decision.action === 'created' ? `add team ${name}` : `add ${decision.added.join(', ') || 'contact'} to team ${name}`;
      const events: DomainEvent[] = files.length > 0 ? [{ type: event, actor: actor.email, at: now, team: name }] : [];
      return { files, message: formatCommitMessage(subject, { event, actor: actor.email, team: name }), result: { decision, events } };
    },
    { pathspecs: [CONFIG_PATH, teamPath(name)] },
  );
  return { result: result.decision, commits: commit ? { [MAIN_REF]: commit } : {}, events: commit ? result.events.map((e) => ({ ...e, commit })) : result.events, retries };
}

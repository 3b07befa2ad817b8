import { PolicyError } from './errors.js';
import type { RegistryConfig, Team } from './model.js';

export function isMember(team: Team, actor: string): boolean {
  const a = actor.toLowerCase();
  return team.members.some((m) => m.toLowerCase() === a);
}

/** Acting for a team requires membership unless tessera.yaml turns the check off. */
export function assertMember(config: RegistryConfig, team: Team, actor: string, action: string): void {
  if (!config.policy.membership_checks || isMember(team, actor)) return;
  throw new PolicyError(
    `${actor} is not a member of team '${team.name}' and cannot ${action}`,
    `ask a member to run: tessera team add ${team.name} --member ${actor}`,
  );
}

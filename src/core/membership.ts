import { PolicyError } from './errors.js';
import type { RegistryConfig, Team } from './model.js';
import { parseKeyEmail } from './keys.js';

/** A key's identity (core/keys.ts) acts for its own team only, whoever the team's members are. */
export function isMember(team: Team, actor: string): boolean {
  const a = actor.toLowerCase();
  const key = parseKeyEmail(a);
  if (key) return key.team === team.name;
  return team.members.some((m) => m.toLowerCase() === a);
}

/**
 * Acting for a team requires membership unless tessera.yaml turns the check
 * off; a key acts for its own team only, whatever the policy.
 */
export function mayActFor(config: RegistryConfig, team: Team, actor: string): boolean {
  if (parseKeyEmail(actor)) return isMember(team, actor);
  return !config.policy.membership_checks || isMember(team, actor);
}

export function assertMember(config: RegistryConfig, team: Team, actor: string, action: string): void {
  if (mayActFor(config, team, actor)) return;
  const key = parseKeyEmail(actor);
  if (key) throw new PolicyError(`key ${key.keyId} acts for team '${key.team}', not '${team.name}', and cannot ${action}`, `use a key of team ${team.name}: tessera key create --team ${team.name}`);
  throw new PolicyError(
    `${actor} is not a member of team '${team.name}' and cannot ${action}`,
    `ask a member to run: tessera team add ${team.name} --member ${actor}`,
  );
}

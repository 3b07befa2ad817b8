/** Planning team changes: pure. */
import { encodeYaml } from './codec.js';
import { InputError } from './errors.js';
import { assertMember } from './membership.js';
import { teamSchema, type RegistryConfig, type Team } from './model.js';
import { checkTeamName, teamPath } from './paths.js';
import type { FileWrite } from './plan-types.js';

export type TeamDecision = { action: 'created' | 'updated' | 'unchanged'; team: Team; added: string[]; files: FileWrite[] };

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

export function planTeamAdd(
  existing: Team | undefined,
  input: { name: string; members: string[]; contact?: string },
  ctx: { config: RegistryConfig; actor: string; now: string },
): TeamDecision {
  checkTeamName(input.name);
  for (const m of input.members) {
    if (!EMAIL.test(m)) throw new InputError(`'${m}' is not an email address`, 'members are git author emails, e.g. --member ana@acme.com');
  }
  const members = input.members.map((m) => m.toLowerCase());
  if (!existing) {
    const team: Team = { name: input.name, members: [...new Set(members)].sort(), created_by: ctx.actor, created_at: ctx.now };
    if (input.contact) team.contact = input.contact;
    return { action: 'created', team, added: team.members, files: [{ path: teamPath(input.name), content: encodeYaml(teamPath(input.name), teamSchema, team) }] };
  }
  // Changing an existing team is for its members (an empty team can be claimed by anyone).
  if (existing.members.length > 0) assertMember(ctx.config, existing, ctx.actor, `change team '${existing.name}'`);
  const have = new Set(existing.members.map((m) => m.toLowerCase()));
  const added = [...new Set(members.filter((m) => !have.has(m)))].sort();
  const contactChanged = input.contact !== undefined && input.contact !== existing.contact;
  if (added.length === 0 && !contactChanged) return { action: 'unchanged', team: existing, added: [], files: [] };
  const team: Team = { ...existing, members: [...existing.members, ...added].sort() };
  if (input.contact !== undefined) team.contact = input.contact;
  return { action: 'updated', team, added, files: [{ path: teamPath(input.name), content: encodeYaml(teamPath(input.name), teamSchema, team) }] };
}

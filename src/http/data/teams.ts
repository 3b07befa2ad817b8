/** Teams with what each owns and consumes (pure, from the index). */
import type { TeamView } from '../model.js';
import type { RegistryIndex } from './index.js';

export function teamViews(index: RegistryIndex): TeamView[] {
  const owns = new Map<string, string[]>();
  const consumes = new Map<string, string[]>();
  for (const a of index.assets) {
    (owns.get(a.owner) ?? owns.set(a.owner, []).get(a.owner)!).push(a.id);
    for (const c of a.consumers) (consumes.get(c) ?? consumes.set(c, []).get(c)!).push(a.id);
  }
  return index.teams.map((team) => ({ team, owns: owns.get(team.name) ?? [], consumes: consumes.get(team.name) ?? [] }));
}

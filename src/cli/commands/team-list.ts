import { withRegistry } from '../context.js';
import { readAllTeams } from '../../registry/state.js';
import { printJson, printLine } from '../output.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  return withRegistry(opts, async (ctx) => {
    const snap = await ctx.repo.snapshot(undefined, ['teams']);
    const teams = await readAllTeams(snap);
    if (opts.json) printJson({ teams });
    else if (teams.length === 0) printLine('No teams yet. Create one with: tessera team add <team> --member <email>');
    else for (const t of teams) printLine(`${t.name}  ${t.members.join(', ') || '(no members)'}${t.contact ? `  (${t.contact})` : ''}`);
    return 0;
  });
}

import { withRegistry } from '../context.js';
import { teamAdd } from '../../app/team-add.js';
import { checkTeamName } from '../../core/paths.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const name = checkTeamName(String(args[0]));
  const members = (opts.member as string[] | undefined) ?? [];
  const contact = opts.contact as string | undefined;
  return withRegistry(opts, async (ctx) => {
    const { result } = await teamAdd(ctx, { name, members, ...(contact !== undefined ? { contact } : {}) });
    if (opts.json) printJson({ action: result.action === 'unchanged' ? 'unchanged' : `team.${result.action}`, team: result.team, added: result.added });
    else if (result.action === 'unchanged') printLine(`Team ${name} unchanged`);
    else printLine(`${result.action === 'created' ? 'Created' : 'Updated'} team ${name}: ${result.team.members.join(', ') || '(no members)'}`);
    return 0;
  }, { writes: true });
}

import { withRegistry } from '../context.js';
import { writeMain } from '../../app/write-main.js';
import { readConfig, readTeam } from '../../registry/state.js';
import { planTeamAdd } from '../../core/team.js';
import { checkTeamName, CONFIG_PATH, teamPath } from '../../core/paths.js';
import { formatCommitMessage } from '../../core/commit-message.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const name = checkTeamName(String(args[0]));
  const members = (opts.member as string[] | undefined) ?? [];
  const contact = opts.contact as string | undefined;
  return withRegistry(opts, async (ctx) => {
    const { result } = await writeMain(
      ctx,
      async ({ snap, actor, now }) => {
        const config = await readConfig(snap);
        const decision = planTeamAdd(await readTeam(snap, name), { name, members, ...(contact !== undefined ? { contact } : {}) }, { config, actor: actor.email, now });
        const subject = decision.action === 'created' ? `add team ${name}` : `add ${decision.added.join(', ') || 'contact'} to team ${name}`;
        return { files: decision.files, message: formatCommitMessage(subject, { event: decision.action === 'created' ? 'team.created' : 'team.updated', actor: actor.email, team: name }), result: decision };
      },
      { pathspecs: [CONFIG_PATH, teamPath(name)] },
    );
    if (opts.json) printJson({ action: result.action === 'unchanged' ? 'unchanged' : `team.${result.action}`, team: result.team, added: result.added });
    else if (result.action === 'unchanged') printLine(`Team ${name} unchanged`);
    else printLine(`${result.action === 'created' ? 'Created' : 'Updated'} team ${name}: ${result.team.members.join(', ') || '(no members)'}`);
    return 0;
  }, { writes: true });
}

import { withRegistry } from '../context.js';
import { channelAdd, checkChannelRequest } from '../../app/channel.js';
import type { ChannelType } from '../../core/notify/types.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const to = (opts.to as string[] | undefined) ?? [];
  // Checked before the registry opens: a bad flag is exit 2 whatever the registry's state.
  const request = checkChannelRequest({
    name: String(args[0]),
    type: opts.type as ChannelType,
    teams: (opts.team as string[] | undefined) ?? [],
    ...(opts.urlEnv !== undefined ? { urlEnv: String(opts.urlEnv) } : {}),
    ...(opts.secretEnv !== undefined ? { secretEnv: String(opts.secretEnv) } : {}),
    ...(to.length > 0 ? { to } : {}),
  }, process.env);
  return withRegistry(opts, async (ctx) => {
    const { result } = await channelAdd(ctx, request);
    const c = result.channel;
    if (opts.json) printJson({ action: result.action === 'added' ? 'channel.added' : 'unchanged', channel: c });
    else if (result.action === 'unchanged') printLine(`Channel ${c.name} unchanged`);
    else {
      printLine(`Added ${c.type} channel ${c.name} for ${c.teams.join(', ')}: events from now on`);
      printLine(`  set ${c.url_env}${c.secret_env ? ` and ${c.secret_env}` : ''} where \`tessera notify\` runs`);
    }
    return 0;
  }, { writes: true });
}

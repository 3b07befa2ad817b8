import { withRegistry } from '../context.js';
import { channelRemove } from '../../app/channel.js';
import { checkChannelName } from '../../core/paths.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const name = checkChannelName(String(args[0]));
  return withRegistry(opts, async (ctx) => {
    const { result } = await channelRemove(ctx, { name });
    if (opts.json) printJson({ action: 'channel.removed', channel: result.channel });
    else printLine(`Removed channel ${name}`);
    return 0;
  }, { writes: true });
}

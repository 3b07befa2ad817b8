import { withRegistry } from '../context.js';
import { unconsume } from '../../app/unconsume.js';
import { checkAssetId, checkTeamName } from '../../core/paths.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const asset = checkAssetId(String(args[0]));
  const team = checkTeamName(String(opts.team));
  return withRegistry(opts, async (ctx) => {
    await unconsume(ctx, { asset, team });
    if (opts.json) printJson({ action: 'consumer.unregistered', asset, team });
    else printLine(`Unregistered ${team} from ${asset}`);
    return 0;
  }, { writes: true });
}

import { withRegistry } from '../context.js';
import { consume } from '../../app/consume.js';
import { parseFieldList } from '../../core/consume.js';
import { checkAssetId, checkTeamName } from '../../core/paths.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const asset = checkAssetId(String(args[0]));
  const team = checkTeamName(String(opts.team));
  const fields = parseFieldList(opts.fields as string | undefined);
  const purpose = opts.purpose as string | undefined;
  return withRegistry(opts, async (ctx) => {
    const { result } = await consume(ctx, { asset, team, ...(purpose !== undefined ? { purpose } : {}), ...(fields ? { fields } : {}) });
    if (opts.json) printJson({ action: result.action === 'unchanged' ? 'unchanged' : `consumer.${result.action}`, consumer: result.consumer });
    else if (result.action === 'unchanged') printLine(`${team} already consumes ${asset}; nothing changed`);
    else printLine(`${result.action === 'registered' ? 'Registered' : 'Updated'} ${team} as a consumer of ${asset}`);
    return 0;
  }, { writes: true });
}

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
    const scope = result.scope;
    if (opts.json) {
      printJson({ action: result.action === 'unchanged' ? 'unchanged' : `consumer.${result.action}`, consumer: result.consumer, ...(scope ? { scope: { proposal: scope.proposal, before: scope.before, after: scope.after } } : {}) });
      return 0;
    }
    if (result.action === 'unchanged') printLine(`${team} already consumes ${asset}; nothing changed`);
    else printLine(`${result.action === 'registered' ? 'Registered' : 'Updated'} ${team} as a consumer of ${asset}`);
    if (scope) {
      const standing = (r: boolean) => (r ? 'required' : 'informed');
      printLine(`Open proposal ${scope.proposal}: ${team} was ${standing(scope.before.required)}, is now ${standing(scope.after.required)} (${scope.after.reason})`);
      if (scope.after.required && !scope.before.required) printLine(`  tessera ack ${scope.proposal} --team ${team}`);
    }
    return 0;
  }, { writes: true });
}

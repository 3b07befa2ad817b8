import { withRegistry } from '../context.js';
import { expire } from '../../app/expire.js';
import { printJson, printLine } from '../output.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  return withRegistry(opts, async (ctx) => {
    const { proposals } = (await expire(ctx)).result;
    if (opts.json) printJson({ action: 'proposals.expired', proposals });
    else printLine(proposals.length ? `Expired ${proposals.length} proposal(s): ${proposals.join(', ')}` : 'No open proposal is past its expiry.');
    return 0;
  }, { writes: true });
}

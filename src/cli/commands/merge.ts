import { withRegistry } from '../context.js';
import { merge } from '../../app/merge.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  return withRegistry(opts, async (ctx) => {
    const { result } = await merge(ctx, { target: String(args[0]), force: Boolean(opts.force) });
    const p = result.proposal;
    if (opts.json) printJson({ action: 'proposal.merged', proposal: p.id, asset: p.asset, version: p.to_version, commit: result.commit ?? null });
    else printLine(`Merged ${p.id}: ${p.asset} ${p.to_version} is now current`);
    return 0;
  }, { writes: true });
}

import { withRegistry } from '../context.js';
import { dropOffersForExisting, loadContractInputs, printCollected, printPublish, showSummary } from './publish.js';
import { checkNotes } from '../render/publish.js';
import { resolveFormat } from '../output.js';
import { check } from '../../app/check.js';
import { ExitCode } from '../../core/errors.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const format = resolveFormat(opts, ['text', 'json', 'github', 'markdown']);
  const loaded = await loadContractInputs(args[0] as string | undefined, args[1] as string | undefined, opts);
  showSummary(format, loaded);
  return withRegistry(opts, async (ctx) => {
    await dropOffersForExisting(ctx, loaded.inputs);
    const collected: unknown[] = [];
    let breaking = false;
    for (const input of loaded.inputs) {
      const { result: r } = await check(ctx, input.request);
      breaking ||= r.breaking;
      printPublish(format, {
        decision: r.decision,
        action: r.breaking ? 'breaking' : r.decision.action,
        dryRun: true,
        source: input.source,
        options: r.options,
        notes: checkNotes(r),
        ...(r.teams ? { extra: { required_teams: r.teams.required, informed_teams: r.teams.informed } } : {}),
        ...(input.file ? { file: input.file } : {}),
        ...(input.request.avro !== undefined ? { avro: true } : {}),
      }, loaded.summary ? collected : undefined, loaded.inputs.length > 1);
    }
    printCollected(format, loaded.summary, collected);
    return breaking ? ExitCode.Finding : ExitCode.Ok;
  });
}

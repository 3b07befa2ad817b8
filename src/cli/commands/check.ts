import { withRegistry } from '../context.js';
import { loadContractInput, printPublish } from './publish.js';
import { checkNotes } from '../render/publish.js';
import { resolveFormat } from '../output.js';
import { check } from '../../app/check.js';
import { ExitCode } from '../../core/errors.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const format = resolveFormat(opts, ['text', 'json', 'github', 'markdown']);
  const input = await loadContractInput(String(args[0]), String(args[1]), opts);
  return withRegistry(opts, async (ctx) => {
    const { result: r } = await check(ctx, input.request);
    printPublish(format, {
      decision: r.decision,
      action: r.breaking ? 'breaking' : r.decision.action,
      dryRun: true,
      source: input.source,
      options: r.options,
      notes: checkNotes(r),
      ...(r.teams ? { extra: { required_teams: r.teams.required, informed_teams: r.teams.informed } } : {}),
      ...(input.file ? { file: input.file } : {}),
    });
    return r.breaking ? ExitCode.Finding : ExitCode.Ok;
  });
}

/** `tessera set-mode <mode> [asset...] [--tables]`: move assets to a compatibility mode, in one commit. */
import { withRegistry } from '../context.js';
import { setMode } from '../../app/set-mode.js';
import type { GuaranteeMode } from '../../core/model.js';
import { checkAssetId, MAIN_REF } from '../../core/paths.js';
import { ExitCode } from '../../core/errors.js';
import type { Mode } from '../../core/diff/types.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const mode = String(args[0]) as Mode;
  const ids = ((args[1] as string[] | undefined) ?? []).map((a) => checkAssetId(a));
  const request = { mode, assets: ids, tables: opts.tables === true, ...(opts.guaranteeMode ? { guaranteeMode: opts.guaranteeMode as GuaranteeMode } : {}) };
  const dryRun = opts.dryRun === true;
  return withRegistry(opts, async (ctx) => {
    const outcome = await setMode(ctx, { ...request, dryRun });
    const plan = outcome.result;
    const commit = outcome.commits[MAIN_REF];
    if (opts.json) {
      printJson({ schema_version: 'tessera.set-mode/v1', action: 'asset.mode_changed', dry_run: dryRun, mode, commit: commit ?? null, moved: plan.moves.map((m) => ({ asset: m.asset, from: m.from, to: m.to, ...(m.guaranteeMode ? { guarantee_mode: { from: m.guaranteeMode.from ?? null, to: m.guaranteeMode.to } } : {}) })), unchanged: plan.unchanged, table_default: plan.tableDefault ?? null });
      return ExitCode.Ok;
    }
    for (const m of plan.moves) {
      const parts = m.from === m.to ? [] : [`${m.from} -> ${m.to}`];
      if (m.guaranteeMode) parts.push(`guarantee_mode ${m.guaranteeMode.from ?? '(default)'} -> ${m.guaranteeMode.to}`);
      printLine(`${m.asset}: ${parts.join(', ')}`);
    }
    if (plan.tableDefault) printLine(`tessera.yaml: new tables default to ${plan.tableDefault.to} (was ${plan.tableDefault.from})`);
    const tail = plan.unchanged.length > 0 ? `; ${plan.unchanged.length} already at ${mode}` : '';
    if (plan.moves.length === 0 && !plan.tableDefault) printLine(`nothing to change${tail}`);
    else printLine(`${dryRun ? 'dry run: would move' : 'moved'} ${plan.moves.length} asset(s) to ${mode}${tail}${commit ? ` (commit ${commit.slice(0, 12)})` : ''}`);
    return ExitCode.Ok;
  }, { writes: !dryRun });
}

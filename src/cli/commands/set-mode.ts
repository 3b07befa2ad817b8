/** `tessera set-mode <mode> [asset...] [--tables]`: move assets to a compatibility mode, in one commit. */
import { withRegistry } from '../context.js';
import { writeMain } from '../../app/write-main.js';
import { indexAssetTree } from '../../registry/asset-index.js';
import { readAllTeams, readConfig } from '../../registry/state.js';
import { planSetMode, type SetModePlan } from '../../core/set-mode.js';
import { assetSchema, versionSchema, type GuaranteeMode } from '../../core/model.js';
import { checkAssetId, CONFIG_PATH, versionPath } from '../../core/paths.js';
import { formatCommitMessage } from '../../core/commit-message.js';
import { ExitCode } from '../../core/errors.js';
import type { Mode } from '../../core/diff/types.js';
import { printJson, printLine } from '../output.js';
import { NoRegistryError } from '../../registry/locate.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const mode = String(args[0]) as Mode;
  const ids = ((args[1] as string[] | undefined) ?? []).map((a) => checkAssetId(a));
  const request = { mode, assets: ids, tables: opts.tables === true, ...(opts.guaranteeMode ? { guaranteeMode: opts.guaranteeMode as GuaranteeMode } : {}) };
  const dryRun = opts.dryRun === true;
  return withRegistry(opts, async (ctx) => {
    ctx.repo.useParseCache();
    const outcome = await writeMain<SetModePlan>(
      ctx,
      async ({ snap, actor }) => {
        const config = await readConfig(snap);
        const configText = await snap.text(CONFIG_PATH);
        if (configText === undefined) throw new NoRegistryError(`the registry has no ${CONFIG_PATH}`);
        const { assetFiles } = indexAssetTree(snap.allPaths());
        const assets = await snap.readMany(assetFiles, assetSchema);
        const latest = await snap.readMany(assets.map((a) => versionPath(a.id, a.current_version)), versionSchema);
        const byVersion = new Map(latest.map((v) => [v.asset, v]));
        const teams = new Map((await readAllTeams(snap)).map((t) => [t.name, t]));
        const plan = planSetMode(request, { config, configText, assets: assets.map((a) => ({ asset: a, latest: byVersion.get(a.id) })), teams, actor: actor.email });
        const subject = plan.moves.length === 1 ? `${plan.moves[0]!.asset}: mode ${plan.moves[0]!.from} -> ${mode}` : `${plan.moves.length} assets move to mode ${mode}`;
        const body = plan.moves.map((m) => `${m.asset}: ${m.from} -> ${m.to}${m.guaranteeMode ? `, guarantee_mode ${m.guaranteeMode.from ?? '(default)'} -> ${m.guaranteeMode.to}` : ''}`).join('\n');
        return {
          files: plan.files,
          message: formatCommitMessage(subject, { event: 'asset.mode_changed', actor: actor.email, assets: plan.moves.map((m) => m.asset), extra: { Mode: mode } }, body || undefined),
          result: plan,
        };
      },
      { dryRun },
    );
    const plan = outcome.result;
    if (opts.json) {
      printJson({ schema_version: 'tessera.set-mode/v1', action: 'asset.mode_changed', dry_run: dryRun, mode, commit: outcome.commit ?? null, moved: plan.moves.map((m) => ({ asset: m.asset, from: m.from, to: m.to, ...(m.guaranteeMode ? { guarantee_mode: { from: m.guaranteeMode.from ?? null, to: m.guaranteeMode.to } } : {}) })), unchanged: plan.unchanged, table_default: plan.tableDefault ?? null });
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
    else printLine(`${dryRun ? 'dry run: would move' : 'moved'} ${plan.moves.length} asset(s) to ${mode}${tail}${outcome.commit ? ` (commit ${outcome.commit.slice(0, 12)})` : ''}`);
    return ExitCode.Ok;
  }, { writes: !dryRun });
}

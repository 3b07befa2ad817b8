/**
 * `set-mode`: move assets (named, or every table with tessera.yaml's default
 * for new ones) to a compatibility mode, in one commit. One event per asset
 * moved, each naming the commit, so a notification reaches each asset's
 * owner and consumers; a commit that only changes the table default carries
 * one event without an asset.
 */
import type { AppContext, Outcome } from './context.js';
import { writeMain } from './write-main.js';
import type { DomainEvent } from '../core/events.js';
import { planSetMode, type SetModePlan, type SetModeRequest as SetModeSelection } from '../core/set-mode.js';
import { assetSchema, versionSchema } from '../core/model.js';
import { checkAssetId, CONFIG_PATH, MAIN_REF, versionPath } from '../core/paths.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { indexAssetTree } from '../registry/asset-index.js';
import { readAllTeams, readConfig } from '../registry/state.js';
import { NoRegistryError } from '../registry/locate.js';

export interface SetModeRequest extends SetModeSelection {
  /** Plan only: the result and events are what a real run would do, and nothing is written. */
  dryRun?: boolean;
}

export type SetModeResult = Omit<SetModePlan, 'files'>;

export async function setMode(ctx: AppContext, request: SetModeRequest): Promise<Outcome<SetModeResult>> {
  const { dryRun, ...selection } = request;
  selection.assets.forEach(checkAssetId);
  const { mode } = selection;
  ctx.repo.useParseCache();
  const { result, commit, retries } = await writeMain(
    ctx,
    async ({ snap, actor, now }) => {
      const config = await readConfig(snap);
      const configText = await snap.text(CONFIG_PATH);
      if (configText === undefined) throw new NoRegistryError(`the registry has no ${CONFIG_PATH}`);
      const { assetFiles } = indexAssetTree(snap.allPaths());
      const assets = await snap.readMany(assetFiles, assetSchema);
      const latest = await snap.readMany(assets.map((a) => versionPath(a.id, a.current_version)), versionSchema);
      const byVersion = new Map(latest.map((v) => [v.asset, v]));
      const teams = new Map((await readAllTeams(snap)).map((t) => [t.name, t]));
      const { files, ...plan } = planSetMode(selection, { config, configText, assets: assets.map((a) => ({ asset: a, latest: byVersion.get(a.id) })), teams, actor: actor.email });
      const subject = plan.moves.length === 1 ? `${plan.moves[0]!.asset}: mode ${plan.moves[0]!.from} -> ${mode}` : `${plan.moves.length} assets move to mode ${mode}`;
      const body = plan.moves.map((m) => `${m.asset}: ${m.from} -> ${m.to}${m.guaranteeMode ? `, guarantee_mode ${m.guaranteeMode.from ?? '(default)'} -> ${m.guaranteeMode.to}` : ''}`).join('\n');
      const event = { type: 'asset.mode_changed', actor: actor.email, at: now } as const;
      const events: DomainEvent[] = files.length === 0 ? [] : plan.moves.length === 0 ? [event] : plan.moves.map((m) => ({ ...event, asset: m.asset }));
      return {
        files,
        message: formatCommitMessage(subject, { event: 'asset.mode_changed', actor: actor.email, assets: plan.moves.map((m) => m.asset), extra: { Mode: mode } }, body || undefined),
        result: { plan, events },
      };
    },
    { dryRun: dryRun === true },
  );
  return { result: result.plan, commits: commit ? { [MAIN_REF]: commit } : {}, events: commit ? result.events.map((e) => ({ ...e, commit })) : result.events, retries };
}

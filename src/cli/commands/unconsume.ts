import { withRegistry } from '../context.js';
import { writeMain } from '../../app/write-main.js';
import { readConfig, requireAsset, requireTeam } from '../../registry/state.js';
import { planUnconsume } from '../../core/consume.js';
import { assetDir, checkAssetId, checkTeamName, CONFIG_PATH, consumerPath, teamPath } from '../../core/paths.js';
import { consumerSchema } from '../../core/model.js';
import { formatCommitMessage } from '../../core/commit-message.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const asset = checkAssetId(String(args[0]));
  const team = checkTeamName(String(opts.team));
  return withRegistry(opts, async (ctx) => {
    await writeMain(
      ctx,
      async ({ snap, actor }) => {
        const config = await readConfig(snap);
        const a = await requireAsset(snap, asset);
        const t = await requireTeam(snap, team);
        const existing = await snap.read(consumerPath(asset, team), consumerSchema);
        const decision = planUnconsume(a, t, existing, { config, actor: actor.email });
        return { files: decision.files, message: formatCommitMessage(`${team} no longer consumes ${asset}`, { event: 'consumer.unregistered', actor: actor.email, assets: [asset], team }), result: null };
      },
      { pathspecs: [CONFIG_PATH, teamPath(team), assetDir(asset)] },
    );
    if (opts.json) printJson({ action: 'consumer.unregistered', asset, team });
    else printLine(`Unregistered ${team} from ${asset}`);
    return 0;
  }, { writes: true });
}

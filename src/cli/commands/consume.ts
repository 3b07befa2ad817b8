import { withRegistry } from '../context.js';
import { writeMain } from '../../app/write-main.js';
import { readConfig, requireAsset, requireTeam } from '../../registry/state.js';
import { parseFieldList, planConsume } from '../../core/consume.js';
import { assetDir, checkAssetId, checkTeamName, CONFIG_PATH, consumerPath, teamPath } from '../../core/paths.js';
import { consumerSchema } from '../../core/model.js';
import { formatCommitMessage } from '../../core/commit-message.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const asset = checkAssetId(String(args[0]));
  const team = checkTeamName(String(opts.team));
  const fields = parseFieldList(opts.fields as string | undefined);
  const purpose = opts.purpose as string | undefined;
  return withRegistry(opts, async (ctx) => {
    const { result } = await writeMain(
      ctx,
      async ({ snap, actor, now }) => {
        const config = await readConfig(snap);
        const a = await requireAsset(snap, asset);
        const t = await requireTeam(snap, team);
        const existing = await snap.read(consumerPath(asset, team), consumerSchema);
        const decision = planConsume(a, t, existing, { ...(purpose !== undefined ? { purpose } : {}), ...(fields ? { fields } : {}) }, { config, actor: actor.email, now });
        const subject = `${team} consumes ${asset}`;
        return { files: decision.files, message: formatCommitMessage(subject, { event: 'consumer.registered', actor: actor.email, assets: [asset], team }), result: decision };
      },
      { pathspecs: [CONFIG_PATH, teamPath(team), assetDir(asset)] },
    );
    if (opts.json) printJson({ action: result.action === 'unchanged' ? 'unchanged' : `consumer.${result.action}`, consumer: result.consumer });
    else if (result.action === 'unchanged') printLine(`${team} already consumes ${asset}; nothing changed`);
    else printLine(`${result.action === 'registered' ? 'Registered' : 'Updated'} ${team} as a consumer of ${asset}`);
    return 0;
  }, { writes: true });
}

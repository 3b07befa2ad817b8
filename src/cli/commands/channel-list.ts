import { withRegistry } from '../context.js';
import { readAllChannels } from '../../registry/channels.js';
import { CHANNELS_DIR } from '../../core/paths.js';
import { notice, printJson, printLine } from '../output.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  return withRegistry(opts, async (ctx) => {
    const { channels, errors } = await readAllChannels(await ctx.repo.snapshot(undefined, [CHANNELS_DIR]));
    for (const e of errors) notice(`tessera: ${e}`);
    const isSet = (v: string | undefined) => v !== undefined && (process.env[v] ?? '') !== '';
    if (opts.json) {
      printJson({ channels: channels.map((c) => ({ ...c, url_env_set: isSet(c.url_env), ...(c.secret_env ? { secret_env_set: isSet(c.secret_env) } : {}) })), errors });
    } else if (channels.length === 0) printLine('No channels yet. Add one with: tessera channel add <name> --type webhook --team <team> --url-env <VAR>');
    else {
      for (const c of channels) {
        const vars = [c.url_env, c.secret_env].filter((v): v is string => v !== undefined).map((v) => `${v}${isSet(v) ? '' : ' (unset here)'}`);
        printLine(`${c.name}  ${c.type}  teams: ${c.teams.join(', ')}  ${vars.join(', ')}${c.to ? `  to: ${c.to.join(', ')}` : ''}  since ${c.created_at}`);
      }
    }
    return 0;
  });
}

import { withRegistry } from '../context.js';
import { keyList } from '../../app/keys.js';
import { printJson, printLine } from '../output.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const team = opts.team as string | undefined;
  return withRegistry(opts, async (ctx) => {
    const keys = await keyList(ctx, team);
    if (opts.json) printJson({ schema_version: 'tessera.key-list/v1', keys });
    else if (keys.length === 0) printLine(`No keys${team ? ` for team ${team}` : ''}. Create one with: tessera key create --team <team>`);
    else {
      for (const k of keys) {
        const until = k.status === 'revoked' ? `revoked ${k.revoked_at} by ${k.revoked_by}` : k.expires_at ? `${k.status === 'expired' ? 'expired' : 'expires'} ${k.expires_at}` : 'no expiry';
        printLine(`${k.id}  ${k.team}  ${k.scope}  ${k.status}  ${JSON.stringify(k.name ?? '')}  created ${k.created_at} by ${k.created_by}, ${until}`);
      }
    }
    return 0;
  });
}

import { withRegistry } from '../context.js';
import { keyRevoke } from '../../app/keys.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const id = String(args[0]);
  return withRegistry(opts, async (ctx) => {
    const { result } = await keyRevoke(ctx, id);
    if (opts.json) printJson({ schema_version: 'tessera.key-revoke/v1', action: result.action === 'revoked' ? 'key.revoked' : 'unchanged', key: result.key });
    else if (result.action === 'unchanged') printLine(`Key ${id} was already revoked at ${result.key.revoked_at}`);
    else printLine(`Revoked key ${id} of team ${result.key.team}`);
    return 0;
  }, { writes: true });
}

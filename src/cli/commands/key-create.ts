import { withRegistry } from '../context.js';
import { keyCreate } from '../../app/keys.js';
import { parseKeyExpiry, type KeyScope } from '../../core/keys.js';
import { now } from '../../registry/identity.js';
import { notice, printJson, printLine } from '../output.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const scope = (opts.scope as KeyScope | undefined) ?? 'write';
  const expiresAt = opts.expires === undefined ? undefined : parseKeyExpiry(String(opts.expires), now());
  const name = opts.name as string | undefined;
  return withRegistry(opts, async (ctx) => {
    const { result } = await keyCreate(ctx, { team: String(opts.team), scope, ...(expiresAt ? { expiresAt } : {}), ...(name !== undefined ? { name } : {}) });
    const { key, secret } = result;
    if (opts.json) {
      printJson({ schema_version: 'tessera.key-create/v1', action: 'key.created', key, secret });
      return 0;
    }
    notice(`Created ${key.scope} key ${key.id} for team ${key.team}${key.expires_at ? `, expires ${key.expires_at}` : ', no expiry'}. The secret below is shown only now; the registry keeps its hash.`);
    printLine(secret);
    return 0;
  }, { writes: true });
}

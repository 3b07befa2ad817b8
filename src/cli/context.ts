/**
 * What most commands share: find and open the registry, know who is acting
 * and when, and close everything on the way out.
 */
import { locateRegistry } from '../registry/locate.js';
import { Repository } from '../registry/repository.js';
import { currentIdentity, now } from '../registry/identity.js';
import { initLocal } from '../registry/init.js';
import type { Identity } from '../registry/commit-writer.js';
import { notice } from './output.js';

export interface CommandContext {
  repo: Repository;
  identity: () => Promise<Identity>;
  now: () => Date;
}

export async function withRegistry<T>(opts: Record<string, unknown>, fn: (ctx: CommandContext) => Promise<T>, options: { writes?: boolean } = {}): Promise<T> {
  const location = locateRegistry(opts.registry as string | undefined);
  // Commands that write will need the identity: ask git for it while the registry opens.
  let identityPromise: Promise<Identity> | undefined = options.writes ? currentIdentity() : undefined;
  identityPromise?.catch(() => undefined);
  const getIdentity = () => (identityPromise ??= currentIdentity());
  const repo = await Repository.open(location, {
    createDefault: async (dir) => {
      await initLocal(dir, await getIdentity(), Math.floor(now().getTime() / 1000));
      notice(`tessera: created the default local registry at ${dir}`);
    },
  });
  try {
    return await fn({ repo, identity: getIdentity, now });
  } finally {
    repo.close();
  }
}

export function isoNow(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function unixSeconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

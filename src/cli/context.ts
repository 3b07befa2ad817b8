/**
 * What most commands share: find and open the registry, know who is acting
 * and when, and close everything on the way out.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { locateRegistry, NoRegistryError, tesseraHome } from '../registry/locate.js';
import { Repository } from '../registry/repository.js';
import { currentIdentity, noIdentityError, now } from '../registry/identity.js';
import { initLocal } from '../registry/init.js';
import type { Identity } from '../registry/commit-writer.js';
import { notice } from './output.js';
import type { AppContext } from '../app/context.js';

/** Commands hand the use-case layer (src/app/) this context; the name stays for the commands that still hold their workflow. */
export type CommandContext = AppContext;

/** Say once per process that the actor was guessed. */
let guessNoticed = false;
export function noticeGuessedIdentity(id: Identity): Identity {
  if (id.guessed && !guessNoticed) {
    guessNoticed = true;
    notice(`tessera: no git identity configured; acting as ${id.email} (to choose one: git config --global user.email you@example.com)`);
  }
  return id;
}

export async function withRegistry<T>(opts: Record<string, unknown>, fn: (ctx: CommandContext) => Promise<T>, options: { writes?: boolean; dryRun?: boolean } = {}): Promise<T> {
  let location = locateRegistry(opts.registry as string | undefined);
  // A dry run on a machine without the default registry must not create it:
  // it plans against a throwaway empty one, which is what a first real run starts from.
  let scratch: string | undefined;
  if (options.dryRun && location.kind === 'path' && location.isDefault && !existsSync(location.path)) {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'tessera-dry-run-'));
    location = { kind: 'path', path: path.join(scratch, 'registry'), source: location.source, isDefault: false };
  }
  // A fresh machine without a git identity can still use a local registry (acting as login@host, said on
  // stderr); a shared one needs a real identity, as every team reads its audit trail.
  const guess = location.kind === 'path';
  // Commands that write will need the identity: ask git for it while the registry opens.
  let identityPromise: Promise<Identity> | undefined = options.writes ? currentIdentity(process.cwd(), { guess }) : undefined;
  identityPromise?.catch(() => undefined);
  const getIdentity = () => (identityPromise ??= currentIdentity(process.cwd(), { guess }));
  if (scratch) {
    await initLocal(path.join(scratch, 'registry'), noticeGuessedIdentity(await getIdentity()), Math.floor(now().getTime() / 1000));
    notice(`tessera: no registry at ${path.join(tesseraHome(), 'registry')} yet; dry run against an empty one (nothing is created)`);
  }
  let repo: Repository;
  try {
    repo = await Repository.open(location, {
      createDefault: async (dir) => {
        await initLocal(dir, noticeGuessedIdentity(await getIdentity()), Math.floor(now().getTime() / 1000));
        notice(`tessera: created the default local registry at ${dir}`);
      },
    });
  } catch (e) {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    throw e instanceof NoRegistryError ? e.forLocation(location) : e;
  }
  const identity = async () => {
    const id = await getIdentity();
    if (id.guessed && repo.remote) throw noIdentityError();
    return noticeGuessedIdentity(id);
  };
  try {
    return await fn({ repo, identity, now });
  } catch (e) {
    // Where the registry turned out not to exist, the hint names the exact `tessera init` for how it was selected.
    throw e instanceof NoRegistryError ? e.forLocation(location) : e;
  } finally {
    repo.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

export { isoNow, unixSeconds } from '../app/context.js';

/**
 * What most commands share: find and open the registry, know who is acting
 * and when, and close everything on the way out.
 */
import { locateRegistry, NoRegistryError } from '../registry/locate.js';
import { currentIdentity, noIdentityError, now } from '../registry/identity.js';
import type { Identity } from '../registry/commit-writer.js';
import { notice } from './output.js';
import type { AppContext } from '../app/context.js';
import { openRegistry, type OpenedRegistry } from '../app/open.js';

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

export async function withRegistry<T>(opts: Record<string, unknown>, fn: (ctx: CommandContext) => Promise<T>, options: { writes?: boolean; dryRun?: boolean; notifyInline?: boolean } = {}): Promise<T> {
  const startedAt = now();
  const location = locateRegistry(opts.registry as string | undefined);
  // A fresh machine without a git identity can still use a local registry (acting as login@host, said on
  // stderr); a shared one needs a real identity, as every team reads its audit trail.
  const guess = location.kind === 'path';
  // Commands that write will need the identity: ask git for it while the registry opens.
  let identityPromise: Promise<Identity> | undefined = options.writes ? currentIdentity(process.cwd(), { guess }) : undefined;
  identityPromise?.catch(() => undefined);
  const getIdentity = () => (identityPromise ??= currentIdentity(process.cwd(), { guess }));
  let opened: OpenedRegistry;
  try {
    opened = await openRegistry({ identity: async () => noticeGuessedIdentity(await getIdentity()), now }, { location, ...(options.dryRun ? { dryRun: true } : {}) });
  } catch (e) {
    throw e instanceof NoRegistryError ? e.forLocation(location) : e;
  }
  for (const n of opened.notices) notice(n);
  const { repo } = opened;
  const identity = async () => {
    const id = await getIdentity();
    if (id.guessed && repo.remote) throw noIdentityError();
    return noticeGuessedIdentity(id);
  };
  try {
    const result = await fn({ repo, identity, now });
    // A write tells its channels at once where it can (--no-notify: leave it to tessera notify).
    const inline = (options.notifyInline ?? options.writes === true) && !options.dryRun && !opts.dryRun && opts.notify !== false;
    if (inline) await notifyInline({ repo, identity, now }, startedAt);
    return result;
  } catch (e) {
    // Where the registry turned out not to exist, the hint names the exact `tessera init` for how it was selected.
    throw e instanceof NoRegistryError ? e.forLocation(location) : e;
  } finally {
    opened.close();
  }
}

export { isoNow, unixSeconds } from '../app/context.js';

/** Deliver this write's events inline and say on stderr what was sent; a failure here never fails the write. */
async function notifyInline(ctx: CommandContext, since: Date): Promise<void> {
  const { deliverInline, inlineFailureLine, inlineReportLines } = await import('../app/notify-inline.js');
  try {
    const { transports } = await import('../notify/transports.js');
    for (const line of inlineReportLines(await deliverInline(ctx, { transports, env: process.env, since }))) notice(line);
  } catch (e) {
    notice(inlineFailureLine(e));
  }
}

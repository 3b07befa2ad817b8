import path from 'node:path';
import { currentIdentity, now } from '../../registry/identity.js';
import { initFromRemote, initLocal } from '../../registry/init.js';
import { tesseraHome } from '../../registry/locate.js';
import { printJson, printLine } from '../output.js';
import { noticeGuessedIdentity, unixSeconds } from '../context.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const dir = path.resolve((args[0] as string | undefined) ?? path.join(tesseraHome(), 'registry'));
  const remote = opts.remote as string | undefined;
  // A local registry can start without a git identity (acting as login@host); a shared one cannot.
  const identity = noticeGuessedIdentity(await currentIdentity(process.cwd(), { guess: !remote }));
  const when = unixSeconds(now());
  let action: string;
  if (remote) action = (await initFromRemote(dir, remote, identity, when)) === 'cloned' ? 'cloned' : 'initialised-remote';
  else {
    await initLocal(dir, identity, when);
    action = 'created';
  }
  if (opts.json) printJson({ action, path: dir, remote: remote ?? null });
  else if (action === 'cloned') printLine(`Cloned the shared registry ${remote} into ${dir}`);
  else if (action === 'initialised-remote') printLine(`Initialised the empty remote ${remote} as a registry; local clone in ${dir}`);
  else printLine(`Created a registry in ${dir}\nUse it with --registry ${dir} or TESSERA_REGISTRY=${dir}`);
  return 0;
}

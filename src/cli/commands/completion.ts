/**
 * `tessera completion <shell>` prints a completion script generated from the
 * command tree; `tessera completion --list <kind...>` (hidden) is what those
 * scripts call for registry names.
 */
import { buildProgram } from '../program.js';
import { describeCommands, SHELLS, type Shell } from '../completion/tree.js';
import { bashScript } from '../completion/bash.js';
import { zshScript } from '../completion/zsh.js';
import { fishScript } from '../completion/fish.js';
import { printJson } from '../output.js';
import { InputError } from '../../core/errors.js';

const SCRIPTS: Record<Shell, typeof bashScript> = { bash: bashScript, zsh: zshScript, fish: fishScript };

export function completionScript(shell: Shell): string {
  return SCRIPTS[shell](describeCommands(buildProgram()));
}

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  if (Array.isArray(opts.list)) {
    // Only the lister's modules: registry reads, none of the generators' work.
    const { listForCompletion } = await import('../completion/list.js');
    return listForCompletion(opts.list as string[], opts.registry as string | undefined);
  }
  // commander has checked the choice when one is given.
  const shell = args[0] as Shell | undefined;
  if (!shell) throw new InputError('name the shell to complete for', `run tessera completion ${SHELLS.join('|')}`);
  const script = completionScript(shell);
  if (opts.json) printJson({ shell, script });
  else process.stdout.write(script);
  return 0;
}

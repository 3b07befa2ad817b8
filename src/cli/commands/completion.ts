/**
 * `tessera completion <shell>` prints a completion script generated from the
 * command tree (the names it offers come from `tessera complete`,
 * src/cli/completion/list.ts).
 */
import { buildProgram } from '../program.js';
import { describeCommands, type Shell } from '../completion/tree.js';
import { bashScript } from '../completion/bash.js';
import { zshScript } from '../completion/zsh.js';
import { fishScript } from '../completion/fish.js';
import { printJson } from '../output.js';

const SCRIPTS: Record<Shell, typeof bashScript> = { bash: bashScript, zsh: zshScript, fish: fishScript };

export function completionScript(shell: Shell): string {
  return SCRIPTS[shell](describeCommands(buildProgram()));
}

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  // commander has checked the choice.
  const shell = args[0] as Shell;
  const script = completionScript(shell);
  if (opts.json) printJson({ shell, script });
  else process.stdout.write(script);
  return 0;
}

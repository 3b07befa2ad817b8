/**
 * `tessera completion <shell>` prints a completion script generated from the
 * command tree; the hidden `tessera __complete <kind...>` is what those
 * scripts call for registry names.
 */
import { buildProgram } from '../program.js';
import { describeCommands, NAME_SOURCES, type NameSource, type Shell } from '../completion/tree.js';
import { bashScript } from '../completion/bash.js';
import { zshScript } from '../completion/zsh.js';
import { fishScript } from '../completion/fish.js';
import { printJson } from '../output.js';
import { locateRegistry } from '../../registry/locate.js';
import { listNames } from '../../registry/names.js';

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

/**
 * One name per line. Completion must never disturb the prompt: whatever goes
 * wrong (no registry, no clone of a shared one, a corrupt repository, a bad
 * .tessera.yaml) prints nothing and exits 0.
 */
export async function list(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const kinds = ((args[0] as string[] | undefined) ?? []).filter((k): k is NameSource => (NAME_SOURCES as readonly string[]).includes(k));
  let names: string[] = [];
  try {
    names = await listNames(locateRegistry(opts.registry as string | undefined), kinds);
  } catch {
    names = [];
  }
  if (names.length > 0) process.stdout.write(names.join('\n') + '\n');
  return 0;
}

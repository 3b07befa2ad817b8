/** Definitions of the shell integration: completion scripts. */
import { Argument, Option, type Command } from 'commander';
import { examples, lazy } from './util.js';
import { SHELLS } from '../completion/tree.js';

export function defineShellCommands(program: Command): void {
  examples(
    program
      .command('completion')
      .description('print a completion script for your shell: commands, options and their values, and asset, team and proposal names from the registry')
      .addArgument(new Argument('[shell]', 'the shell').choices(SHELLS))
      .option('--json', 'machine-readable output: {shell, script}')
      // What the scripts call: names of the selected registry, one per line, from its local copy only.
      .addOption(new Option('--list <kinds...>', 'assets, teams, proposals').hideHelp())
      .action(lazy(() => import('../commands/completion.js'))),
    [
      'eval "$(tessera completion bash)"                                  # in ~/.bashrc',
      'tessera completion zsh > "${fpath[1]}/_tessera"                     # then open a new shell',
      'tessera completion fish > ~/.config/fish/completions/tessera.fish',
    ],
  );
}

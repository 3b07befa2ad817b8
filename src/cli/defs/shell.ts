/** Definitions of the shell integration: completion, and the hidden lister its scripts call. */
import { Argument, type Command } from 'commander';
import { examples, lazy } from './util.js';
import { SHELLS } from '../completion/tree.js';

export function defineShellCommands(program: Command): void {
  examples(
    program
      .command('completion')
      .description('print a completion script for your shell (commands, options, their values, and asset, team and proposal names from the registry)')
      .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
      .option('--json', 'machine-readable output: {shell, script}')
      .action(lazy(() => import('../commands/completion.js'))),
    [
      'eval "$(tessera completion bash)"                              # in ~/.bashrc',
      'tessera completion zsh > "${fpath[1]}/_tessera"                 # then start a new shell',
      'tessera completion fish > ~/.config/fish/completions/tessera.fish',
    ],
  );

  // For the scripts only: names of the selected registry, one per line, read from its local copy.
  program
    .command('__complete', { hidden: true })
    .argument('[kinds...]', 'assets, teams, proposals')
    .action(lazy(() => import('../commands/completion.js').then((m) => ({ run: m.list }))));
}

/** Definitions of the shell integration: completion scripts, and the hidden lister they call. */
import { Argument, type Command } from 'commander';
import { examples, lazy } from './util.js';
import { SHELLS } from '../completion/tree.js';

export function defineShellCommands(program: Command): void {
  examples(
    program
      .command('completion')
      .description('print a completion script for your shell: commands, options and their values, and asset, team and proposal names from the registry')
      .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
      .option('--json', 'machine-readable output: {shell, script}')
      .action(lazy(() => import('../commands/completion.js'))),
    [
      'eval "$(tessera completion bash)"                                  # in ~/.bashrc',
      'tessera completion zsh > "${fpath[1]}/_tessera"                     # then open a new shell',
      'tessera completion fish > ~/.config/fish/completions/tessera.fish',
    ],
  );

  // What the scripts call at each Tab: registry names, one per line. A command of its own (not an option
  // of completion) so that bin/tessera.js keeps a code cache for it apart from the scripts' generation.
  examples(
    program
      .command('complete', { hidden: true })
      .description('for the completion scripts: names in the registry, one per line, from its local copy only (no fetch); prints nothing on any failure')
      .argument('[kinds...]', 'assets, teams, proposals')
      .allowUnknownOption()
      .action(lazy(() => import('../completion/list.js'))),
    ['tessera complete assets proposals --registry ./registry.git'],
  );
}

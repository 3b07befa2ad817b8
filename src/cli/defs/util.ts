/** Helpers for declaring commands: lazy implementations and example blocks in --help. */
import { Option, type Command } from 'commander';

/** A command implementation: positional arguments and merged options in, exit code out. */
export type CommandRun = (args: unknown[], opts: Record<string, unknown>) => Promise<number>;

export function lazy(load: () => Promise<{ run: CommandRun }>) {
  return async (...actionArgs: unknown[]) => {
    const cmd = actionArgs[actionArgs.length - 1] as Command;
    const positional = actionArgs.slice(0, -2);
    const { run } = await load();
    process.exitCode = await run(positional, cmd.optsWithGlobals());
  };
}

export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', '\nExamples:\n' + lines.map((l) => '  $ ' + l).join('\n'));
}

export const formatOption = (choices: string[]) => new Option('--format <format>', 'output format').choices(choices).default('text');

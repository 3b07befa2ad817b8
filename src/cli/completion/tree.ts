/**
 * What a shell may complete, read off commander's command tree (buildProgram):
 * commands, options, and what each argument or option value takes. Only the
 * declarations are read; no action runs, so no command implementation loads.
 * Value kinds come from the names the definitions already give (`<asset>`,
 * `--owner <team>`, `<asset-or-proposal>`, `<schema-file>`), so a new command
 * completes correctly without an entry here.
 */
import type { Argument, Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Names read from the registry by `tessera complete`. */
export const NAME_SOURCES = ['assets', 'teams', 'proposals'] as const;
export type NameSource = (typeof NAME_SOURCES)[number];

export type Values =
  | { kind: 'none' }
  | { kind: 'files' }
  | { kind: 'choices'; choices: string[] }
  | { kind: 'names'; sources: NameSource[] };

export interface OptionSpec {
  /** Every spelling, e.g. ['-h', '--help']. */
  flags: string[];
  description: string;
  /** Undefined for a flag that takes no value. */
  values: Values | undefined;
  /** An option of the program, accepted by every command (--registry). */
  global?: boolean;
}

export interface ArgSpec {
  name: string;
  variadic: boolean;
  values: Values;
}

export interface CommandSpec {
  /** Words from the top level, e.g. ['team', 'add']; [] for the program itself. */
  path: string[];
  description: string;
  commands: CommandSpec[];
  options: OptionSpec[];
  args: ArgSpec[];
}

/**
 * `asset`, `assets...`, `asset-or-proposal`, `team`, `path|url`, `schema-file`,
 * `manifest.json`: each part of the name says what it takes. A positional
 * argument whose name says nothing takes a file (the shell's usual default);
 * an option value whose name says nothing (`<text>`, `<email>`) takes nothing
 * we can offer.
 */
export function valuesFromName(name: string, positional: boolean): Values {
  const sources = new Set<NameSource>();
  let files = false;
  for (const part of name.toLowerCase().replace(/\.\.\.$/, '').split(/-or-|\|/)) {
    const source = NAME_SOURCES.find((s) => part === s || part === s.slice(0, -1));
    if (source) sources.add(source);
    else if (/file|dir|path|\.json$|\.ya?ml$/.test(part)) files = true;
  }
  if (sources.size > 0) return { kind: 'names', sources: NAME_SOURCES.filter((s) => sources.has(s)) };
  return files || positional ? { kind: 'files' } : { kind: 'none' };
}

function optionSpec(opt: Option): OptionSpec {
  const flags = [opt.short, opt.long].filter((f): f is string => typeof f === 'string');
  if (!opt.required && !opt.optional) return { flags, description: opt.description, values: undefined };
  const valueName = /[<[]([^>\]]+)[>\]]/.exec(opt.flags)?.[1] ?? '';
  const values: Values = opt.argChoices ? { kind: 'choices', choices: [...opt.argChoices] } : valuesFromName(valueName, false);
  return { flags, description: opt.description, values };
}

function argSpec(arg: Argument, siblings: string[]): ArgSpec {
  const name = arg.name();
  let values: Values;
  if (arg.argChoices) values = { kind: 'choices', choices: [...arg.argChoices] };
  // commander's own `help [command]`.
  else if (name === 'command') values = { kind: 'choices', choices: siblings };
  else values = valuesFromName(name, true);
  return { name, variadic: arg.variadic, values };
}

/** The visible tree under `cmd`. Options of the program (--registry) count on every command, as commander accepts them anywhere. */
export function describeCommands(cmd: Command, path: string[] = [], inherited: OptionSpec[] = [], siblings: string[] = []): CommandSpec {
  const help = cmd.createHelp();
  const own = help.visibleOptions(cmd).map((o) => {
    const spec = optionSpec(o);
    // The program's options that take a value, i.e. not help or the version.
    return path.length === 0 && spec.values ? { ...spec, global: true } : spec;
  });
  const ownFlags = new Set(own.flatMap((o) => o.flags));
  const options = [...own, ...inherited.filter((o) => !o.flags.some((f) => ownFlags.has(f)))];
  const global = path.length === 0 ? own.filter((o) => o.global) : inherited;
  const subs = help.visibleCommands(cmd);
  const siblingNames = subs.map((c) => c.name()).filter((n) => n !== 'help');
  return {
    path,
    description: cmd.description(),
    commands: subs.map((c) => describeCommands(c, [...path, c.name()], global, siblingNames)),
    options,
    args: cmd.registeredArguments.map((a) => argSpec(a, siblings)),
  };
}

/** Every command of the tree, the root first. */
export function flatten(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.commands.flatMap(flatten)];
}

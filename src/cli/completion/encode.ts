/**
 * Shared by the bash and zsh scripts: the tree as `case` tables keyed by
 * command path, and what a value takes as one short word list
 * (`c:<choices>`, `n:<registry names>`, `f` for files, empty for nothing).
 */
import { flatten, type CommandSpec, type Values } from './tree.js';

/** POSIX single quotes (bash, zsh). */
export function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function encodeValues(v: Values | undefined): string {
  if (!v) return '';
  switch (v.kind) {
    case 'choices':
      return `c:${v.choices.join(' ')}`;
    case 'names':
      return `n:${v.sources.join(' ')}`;
    case 'files':
      return 'f';
    case 'none':
      return '';
  }
}

/**
 * `case "$path|$what"` branches: `$what` is an option taking a value, or
 * `#<n>` for the n-th positional argument (a variadic one answers for every
 * later position too: see `rest` in specCases). Only branches with something
 * to offer are written.
 */
export function valueCases(root: CommandSpec, indent: string): string[] {
  const lines: string[] = [];
  const globals: string[] = [];
  for (const c of flatten(root)) {
    const p = c.path.join(' ');
    for (const o of c.options) {
      const enc = encodeValues(o.values);
      if (!enc || (o.global && c.path.length > 0)) continue;
      // The program's own options answer for every command, after the commands' own.
      for (const f of o.flags) (o.global ? globals : lines).push(o.global ? `${indent}*${sq(`|${f}`)}) REPLY=${sq(enc)} ;;` : `${indent}${sq(`${p}|${f}`)}) REPLY=${sq(enc)} ;;`);
    }
    c.args.forEach((a, i) => {
      const enc = encodeValues(a.values);
      if (!enc) return;
      lines.push(`${indent}${sq(`${p}|#${i}`)}) REPLY=${sq(enc)} ;;`);
    });
  }
  return [...lines, ...globals];
}

/** For each command path: its subcommands, every option spelling, those taking a value, and the position of a variadic argument. */
export function specCases(root: CommandSpec, indent: string): string[] {
  return flatten(root).map((c) => {
    const subs = c.commands.map((s) => s.path[s.path.length - 1]!).join(' ');
    const opts = c.options.flatMap((o) => o.flags).join(' ');
    const vopts = c.options.filter((o) => o.values).flatMap((o) => o.flags).join(' ');
    const rest = c.args.findIndex((a) => a.variadic);
    return `${indent}${sq(c.path.join(' '))}) subs=${sq(subs)} opts=${sq(opts)} vopts=${sq(vopts)} rest=${sq(rest < 0 ? '' : String(rest))} ;;`;
  });
}

/**
 * The part of the script both shells run alike: walk the words before the
 * cursor (`words`, 0-based, `cword` the cursor's index) and leave in the
 * caller's variables the command path, the count of positional arguments so
 * far, the option still waiting for its value (`expect`) and any --registry
 * given. `path` is not a name to use: zsh ties it to PATH.
 */
export function walker(): string {
  return `__tessera_walk() {
  local i w
  cmdpath='' npos=0 expect='' registry=''
  __tessera_spec ''
  for ((i = 1; i < cword; i++)); do
    w=\${words[i]}
    if [[ -n $expect ]]; then
      # bash splits --opt=value at the =.
      [[ $w == '=' ]] && continue
      [[ $expect == --registry ]] && registry=$w
      expect=''
      continue
    fi
    case $w in
      --registry=*) registry=\${w#--registry=} ;;
      --) ;;
      -*=*) ;;
      -*) [[ " $vopts " == *" $w "* ]] && expect=$w ;;
      *)
        if [[ $npos -eq 0 && " $subs " == *" $w "* ]]; then
          cmdpath=\${cmdpath:+$cmdpath }$w
          __tessera_spec "$cmdpath"
        else
          npos=$((npos + 1))
        fi
        ;;
    esac
  done
  [[ $registry == '~/'* ]] && registry=$HOME/\${registry#'~/'}
  # What the word at the cursor takes: an option's value, or positional n (a variadic one takes every later position).
  REPLY=''
  if [[ -n $expect ]]; then
    __tessera_value "$cmdpath" "$expect"
  elif [[ -n $rest && $npos -ge $rest ]]; then
    __tessera_value "$cmdpath" "#$rest"
  else
    __tessera_value "$cmdpath" "#$npos"
  fi
}`;
}

export function specFunctions(root: CommandSpec): string {
  return [
    '__tessera_spec() {',
    '  case "$1" in',
    ...specCases(root, '    '),
    "    *) subs='' opts='' vopts='' rest='' ;;",
    '  esac',
    '}',
    '',
    '__tessera_value() {',
    '  case "$1|$2" in',
    ...valueCases(root, '    '),
    "    *) REPLY='' ;;",
    '  esac',
    '}',
  ].join('\n');
}

/**
 * How the scripts ask for registry names: the binary being completed, with
 * the --registry of the command line. It reads the local clone only (no
 * network, nothing written) and is silent on any failure.
 */
export function namesFunction(split: string): string {
  return `__tessera_names() {
  local bin=$1 registry=$2 kinds=$3
  if [[ -n $registry ]]; then
    "$bin" --registry "$registry" complete ${split}kinds 2>/dev/null
  else
    "$bin" complete ${split}kinds 2>/dev/null
  fi
}`;
}

/**
 * Rendering helpers shared by every command: colour only on a TTY and never
 * when NO_COLOR is set; results to stdout, errors to stderr.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export function colourEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

let cached: ChalkInstance | undefined;
export function paint(): ChalkInstance {
  cached ??= new Chalk({ level: colourEnabled() ? 1 : 0 });
  return cached;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function printLine(line = ''): void {
  process.stdout.write(line + '\n');
}

export function printLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
}

/** A notice for people (stderr, so it never pollutes --json on stdout). */
export function notice(line: string): void {
  process.stderr.write(line + '\n');
}

/** Escape a value for a GitHub workflow command's message part. */
export function githubEscapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a value for a GitHub workflow command's property part. */
export function githubEscapeProperty(s: string): string {
  return githubEscapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type OutputFormat = 'text' | 'json' | 'github' | 'markdown';

export function resolveFormat(opts: { json?: boolean; format?: string }, allowed: readonly OutputFormat[]): OutputFormat {
  if (opts.json) return 'json';
  const f = (opts.format ?? 'text') as OutputFormat;
  if (!allowed.includes(f)) {
    // Imported lazily by callers; keep this module free of heavy imports.
    throw new UsageFormatError(f, allowed);
  }
  return f;
}

import { InputError } from '../core/errors.js';
class UsageFormatError extends InputError {
  constructor(f: string, allowed: readonly string[]) {
    super(`unknown --format '${f}'`, `use one of: ${allowed.join(', ')}`);
  }
}

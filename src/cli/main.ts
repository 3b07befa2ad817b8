/**
 * Entry point. Keeps start-up light: only commander and the command
 * definitions load here; each command's implementation (diff engine, git,
 * UI) is imported when that command runs.
 */
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { ExitCode } from '../core/errors.js';

export async function main(argv: string[]): Promise<number> {
  // `--version` belongs to `publish --version X.Y.Z`; as the only argument it prints ours.
  if (argv.length === 3 && argv[2] === '--version') {
    const { PACKAGE_VERSION } = await import('./program.js');
    process.stdout.write(PACKAGE_VERSION + '\n');
    return 0;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      // Asked for (--help, tessera help): 0. Shown because a subcommand is missing (tessera team): bad usage.
      if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : ExitCode.Usage;
      // commander has already printed its message to stderr.
      return ExitCode.Usage;
    }
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  const debug = process.env.TESSERA_DEBUG === '1';
  const e = err as { exitCode?: unknown; oneLine?: () => string; message?: string; stack?: string };
  if (typeof e?.exitCode === 'number' && typeof e.oneLine === 'function') {
    process.stderr.write(`tessera: ${e.oneLine()}\n`);
    if (debug && e.stack) process.stderr.write(e.stack + '\n');
    return e.exitCode;
  }
  process.stderr.write(`tessera: internal error: ${e?.message ?? String(err)} (set TESSERA_DEBUG=1 for a stack trace and report it)\n`);
  if (debug && e?.stack) process.stderr.write(e.stack + '\n');
  return ExitCode.Registry;
}

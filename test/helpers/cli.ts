/**
 * Runs the real, built `tessera` binary as a child process, the way users
 * and CI run it. `npm test` builds first, so dist/ is current.
 */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const TESSERA_BIN = fileURLToPath(new URL('../../bin/tessera.js', import.meta.url));
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
}

export async function tessera(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await execa(process.execPath, [TESSERA_BIN, ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { NO_COLOR: '1', TESSERA_DEBUG: undefined, ...options.env },
    input: options.input ?? '',
    reject: false,
    timeout: 120_000,
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

/**
 * Runs the real, built `tessera` binary as a child process, the way users
 * and CI run it. `npm test` builds first, so dist/ is current.
 */
import { execa } from 'execa';
import os from 'node:os';
import path from 'node:path';
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
  /** Keep the output's final newline (execa strips it by default), for tests of how output ends. */
  raw?: boolean;
}

/**
 * Where a run without its own HOME or XDG_CACHE_HOME keeps its caches (the V8
 * code cache of bin/tessera.js): under the temp dir, not the developer's home.
 */
const TEST_CACHE_HOME = path.join(os.tmpdir(), 'tessera-test-cache');

export async function tessera(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const ownCache = options.env?.HOME !== undefined || options.env?.XDG_CACHE_HOME !== undefined;
  const result = await execa(process.execPath, [TESSERA_BIN, ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { NO_COLOR: '1', TESSERA_DEBUG: undefined, ...(ownCache ? {} : { XDG_CACHE_HOME: TEST_CACHE_HOME }), ...options.env },
    input: options.input ?? '',
    reject: false,
    timeout: 120_000,
    stripFinalNewline: options.raw !== true,
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

/**
 * The README runs as written (issue 13): every sh block, on a fresh HOME, each
 * command exiting as its comment says. The runner is scripts/run-readme.mjs;
 * here it runs on the real README, and on small READMEs that must fail.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { cleanupTempDirs, tempDir } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

const RUNNER = path.join(PROJECT_ROOT, 'scripts', 'run-readme.mjs');
const run = (readme?: string) => execa(process.execPath, [RUNNER, ...(readme ? [readme] : [])], { cwd: PROJECT_ROOT, reject: false, timeout: 300_000 });

function readme(text: string): string {
  const file = path.join(tempDir(), 'README.md');
  writeFileSync(file, text);
  return file;
}

describe('README.md', () => {
  it('every command block behaves as printed, on a fresh HOME', async () => {
    const r = await run();
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/README: all \d+ commands behaved as written/);
    // The workflow block is run, not skipped: its headline command is among those that ran.
    expect(Number(/all (\d+) commands/.exec(r.stdout)?.[1])).toBeGreaterThanOrEqual(15);
  }, 300_000);

  it('fails when a command exits otherwise than its comment says', async () => {
    const r = await run(readme('<!-- readme: cwd=scratch -->\n```sh\ntrue   # exit 1: documented as failing\n```\n'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/README\.md:3: `true .*` exited 0, the README says 1/);
  });

  it('fails on a sh block that neither runs nor says why not', async () => {
    const r = await run(readme('```sh\necho hi\n```\n'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/README\.md:1: a sh block without a <!-- readme:/);
  });

  it('runs a block in one shell, so exports carry from line to line, and joins continuation lines', async () => {
    const r = await run(readme('<!-- readme: cwd=scratch -->\n```sh\nexport X=1\ntest "$X" = 1 && \\\n  test -d "$HOME"\n```\n'));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('README: all 2 commands behaved as written');
  });
});

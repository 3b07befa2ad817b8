/**
 * commander's own errors speak as Tessera does (one line, `tessera: ...`,
 * naming the mistyped command's help), a command group without its
 * subcommand is bad usage, and every --help ends with a newline so an error
 * printed after it starts on a line of its own.
 */
import { describe, expect, it } from 'vitest';
import { tessera } from '../helpers/cli.js';

describe('usage errors', () => {
  it('an unknown option: one line naming the subcommand\'s help, exit 2', async () => {
    const r = await tessera(['publish', '--bogus'], { raw: true });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("tessera: unknown option '--bogus' (run tessera publish --help for usage)\n");
    expect(r.stdout).toBe('');
  });

  it('a missing argument of a nested command names the nested help', async () => {
    const r = await tessera(['team', 'add'], { raw: true });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("tessera: missing required argument 'team' (run tessera team add --help for usage)\n");
  });

  it('an unknown command names the top-level help', async () => {
    const r = await tessera(['frobnicate']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tessera: unknown command 'frobnicate' \(run tessera --help for usage\)$/m);
  });

  it('tessera team with no subcommand shows its help and exits 2; asking for help exits 0', async () => {
    const bare = await tessera(['team']);
    expect(bare.exitCode).toBe(2);
    expect(bare.stdout + bare.stderr).toMatch(/add \[options\] <team>/);
    expect((await tessera(['team', '--help'])).exitCode).toBe(0);
    expect((await tessera(['help', 'team'])).exitCode).toBe(0);
  });

  it('every command\'s --help ends with a newline', async () => {
    const top = await tessera(['--help'], { raw: true });
    expect(top.stdout.endsWith('\n')).toBe(true);
    const names = [...top.stdout.matchAll(/^  ([a-z][a-z-]*)(?= )/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
    expect(names).toContain('publish');
    expect(names).toContain('set-mode');
    for (const name of names) {
      const r = await tessera([name, '--help'], { raw: true });
      expect(r.exitCode, name).toBe(0);
      expect(r.stdout.endsWith('\n'), `${name} --help`).toBe(true);
    }
  });
});

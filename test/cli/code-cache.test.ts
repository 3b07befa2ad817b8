/**
 * bin/tessera.js runs the bundle through a V8 code cache kept per command
 * under $XDG_CACHE_HOME/tessera/v8. It is only a speed-up: the output is the
 * same with it, without it, with a damaged one, and with a cache directory
 * that cannot be written; a new build's cache replaces an old build's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, tempDir } from '../helpers/machines.js';
import { PROJECT_ROOT, tessera } from '../helpers/cli.js';

afterAll(cleanupTempDirs);

function cacheFiles(xdg: string): string[] {
  const dir = path.join(xdg, 'tessera', 'v8');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe('V8 code cache of the bundled CLI', () => {
  beforeAll(() => {
    const bundle = path.join(PROJECT_ROOT, 'dist', 'bundle', 'tessera.cjs');
    expect(existsSync(bundle), `${bundle} is missing: run npm run build (npm test does)`).toBe(true);
  });

  it('is written per command on the first run and gives the same output on the next', async () => {
    const xdg = tempDir('tessera-code-cache-');
    const env = { XDG_CACHE_HOME: xdg };
    const first = await tessera(['explain', 'TYPE_CHANGED'], { env });
    expect(first.exitCode, first.stderr).toBe(0);
    const files = cacheFiles(xdg);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^${process.version.replace(/\./g, '\\.')}-${process.arch}-\\d+-\\d+--explain\\.bin$`));
    const size = readFileSync(path.join(xdg, 'tessera', 'v8', files[0]!)).length;
    expect(size).toBeGreaterThan(10_000);

    const second = await tessera(['explain', 'TYPE_CHANGED'], { env });
    expect(second).toEqual(first);
    await tessera(['rules', '--json'], { env });
    expect(cacheFiles(xdg).map((f) => f.split('--')[1])).toEqual(['explain.bin', 'rules.bin']);

    // The command after a global --registry <path> is still the command.
    const other = tempDir('tessera-code-cache-');
    const r = await tessera(['--registry', path.join(other, 'unused'), 'explain', 'TYPE_CHANGED'], { env: { XDG_CACHE_HOME: other } });
    expect(r.stdout).toBe(first.stdout);
    expect(cacheFiles(other).map((f) => f.split('--')[1])).toEqual(['explain.bin']);
  });

  it('ignores a damaged cache, still answers the same, and writes a good one back', async () => {
    const xdg = tempDir('tessera-code-cache-');
    const env = { XDG_CACHE_HOME: xdg };
    const clean = await tessera(['explain', 'TYPE_CHANGED'], { env });
    const [file] = cacheFiles(xdg);
    const full = path.join(xdg, 'tessera', 'v8', file!);
    writeFileSync(full, Buffer.from('not a V8 code cache'.repeat(100)));
    const damaged = await tessera(['explain', 'TYPE_CHANGED'], { env });
    expect(damaged).toEqual(clean);
    expect(readFileSync(full).length).toBeGreaterThan(10_000);
  });

  it('drops the caches of other builds when it writes one', async () => {
    const xdg = tempDir('tessera-code-cache-');
    const dir = path.join(xdg, 'tessera', 'v8');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'v0.0.0-x64-1-1--explain.bin'), 'old build');
    await tessera(['explain', 'TYPE_CHANGED'], { env: { XDG_CACHE_HOME: xdg } });
    expect(cacheFiles(xdg)).toHaveLength(1);
    expect(cacheFiles(xdg)[0]).not.toBe('v0.0.0-x64-1-1--explain.bin');
  });

  it('writes nothing with TESSERA_CODE_CACHE=0, and works with a cache directory it cannot write', async () => {
    const xdg = tempDir('tessera-code-cache-');
    const off = await tessera(['explain', 'TYPE_CHANGED'], { env: { XDG_CACHE_HOME: xdg, TESSERA_CODE_CACHE: '0' } });
    expect(off.exitCode, off.stderr).toBe(0);
    expect(cacheFiles(xdg)).toEqual([]);

    const readOnly = tempDir('tessera-code-cache-');
    mkdirSync(path.join(readOnly, 'tessera', 'v8'), { recursive: true });
    chmodSync(path.join(readOnly, 'tessera', 'v8'), 0o555);
    try {
      const r = await tessera(['explain', 'TYPE_CHANGED'], { env: { XDG_CACHE_HOME: readOnly } });
      expect(r).toEqual(off);
      // root may write anyway; everyone else must have been refused quietly.
      if (process.getuid?.() !== 0) expect(cacheFiles(readOnly)).toEqual([]);
    } finally {
      chmodSync(path.join(readOnly, 'tessera', 'v8'), 0o755);
    }
  });
});

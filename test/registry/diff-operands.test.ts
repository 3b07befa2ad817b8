/** `tessera diff asset@version ...` reads published versions from the registry. */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, machine, tempDir, writeJson, USERS_V1, USERS_V1_1, USERS_V2_NO_EMAIL } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

describe('diff with registry operands', () => {
  it('compares published versions and files, and names a missing version', async () => {
    const root = tempDir();
    const registry = path.join(root, 'r.git');
    const ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: registry });
    expect((await ana.run(['init', registry])).exitCode).toBe(0);
    expect((await ana.run(['team', 'add', 'core', '--member', 'ana@acme.com'])).exitCode).toBe(0);
    expect((await ana.run(['publish', 'users', writeJson(root, 'a.json', USERS_V1), '--owner', 'core'])).exitCode).toBe(0);
    expect((await ana.run(['publish', 'users', writeJson(root, 'b.json', USERS_V1_1)])).exitCode).toBe(0);

    const ok = await ana.run(['diff', 'users@1.0.0', 'users@1.1.0', '--json']);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.compatible).toBe(true);
    expect(report.changes.map((c: { path: string }) => c.path)).toEqual(['/properties/country']);

    const breaking = await ana.run(['diff', 'users@1.1.0', writeJson(root, 'c.json', USERS_V2_NO_EMAIL)]);
    expect(breaking.exitCode).toBe(1);
    expect(breaking.stdout).toMatch(/\/properties\/email/);

    const missing = await ana.run(['diff', 'users@9.9.9', 'users@1.0.0']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/asset 'users' has no version 9\.9\.9/);
  });
});

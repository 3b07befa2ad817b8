/**
 * sync-dbt's text report says what was written where: assets on main (with
 * the commit), proposals opened, or nothing; the dry run says what it would
 * write. Uses the project's own demo manifests (fixtures/dbt-demo).
 */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, refState, tempDir } from '../helpers/machines.js';
import { DEMO_DIR } from '../dbt/helpers.js';
import { freshRegistry } from './helpers.js';

afterAll(cleanupTempDirs);

const demo = path.join(DEMO_DIR, 'manifest.json');
const breaking = path.join(DEMO_DIR, 'manifest-breaking.json');

describe('sync-dbt text report', () => {
  it('says what a dry run would write, what a run wrote, then that nothing changed, then the proposal it opened', async () => {
    const { registry, ci } = await freshRegistry(tempDir('tessera-sync-text-'));
    const before = await refState(registry);

    const dry = await ci.run(['sync-dbt', demo, '--dry-run']);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^dry run: would write 8 asset\(s\) on main; nothing written$/m);
    expect(await refState(registry)).toBe(before);

    const first = await ci.run(['sync-dbt', demo]);
    expect(first.exitCode, first.stderr).toBe(0);
    const commit = /^wrote 8 asset\(s\) on main \(commit ([0-9a-f]{12})\)$/m.exec(first.stdout)?.[1];
    expect(commit, first.stdout).toBeDefined();
    expect((await refState(registry))).toContain(commit!);

    const again = await ci.run(['sync-dbt', demo]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^no changes: the registry already matches the manifest$/m);

    const dryBreaking = await ci.run(['sync-dbt', breaking, '--dry-run']);
    expect(dryBreaking.exitCode, dryBreaking.stderr).toBe(1);
    expect(dryBreaking.stdout).toMatch(/^dry run: would open 2 proposal\(s\); nothing written$/m);

    const run = await ci.run(['sync-dbt', breaking]);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^opened 2 proposal\(s\); main unchanged$/m);
  });
});

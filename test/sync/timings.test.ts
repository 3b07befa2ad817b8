/**
 * TESSERA_TIMINGS=1: sync-dbt prints its phases with their times on stderr,
 * and nothing else changes (stdout stays the same JSON).
 */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, machine, tempDir } from '../helpers/machines.js';
import { DEMO_DIR } from '../dbt/helpers.js';

afterAll(cleanupTempDirs);

describe('TESSERA_TIMINGS', () => {
  it('prints every phase of a sync on stderr; stdout is the same JSON as without it', async () => {
    const root = tempDir('tessera-timings-');
    const registry = path.join(root, 'registry.git');
    const plain = machine(root, 'plain', 'ci-bot@acme.com', { TESSERA_REGISTRY: registry });
    const timed = machine(root, 'timed', 'ci-bot@acme.com', { TESSERA_REGISTRY: registry, TESSERA_TIMINGS: '1' });
    expect((await plain.run(['init', registry])).exitCode).toBe(0);
    const args = ['sync-dbt', path.join(DEMO_DIR, 'manifest.json'), '--owner-default', 'data-platform', '--dry-run', '--json'];
    const phasesOf = (stderr: string) => stderr.trim().split('\n').map((line) => /^tessera: timing (.+?) +\d+ ms {2}\(at \d+ ms, heap \d+ MB\)$/.exec(line)?.[1]);
    const a = await plain.run(args);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(a.stderr).toBe('');
    // Planned in full; a dry run caches nothing, so a real run caches the plan; then a dry run plans from the cache.
    const full = await timed.run([...args, '--no-plan-cache']);
    expect(full.exitCode, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout)).toEqual(JSON.parse(a.stdout));
    expect((await plain.run(args.filter((x) => x !== '--dry-run'))).exitCode).toBe(0);
    const after = await plain.run([...args, '--no-plan-cache']);
    const cached = await timed.run(args);
    expect(cached.exitCode, cached.stderr).toBe(0);
    expect(JSON.parse(cached.stdout)).toEqual(JSON.parse(after.stdout));
    const registryPhases = ['registry opened', 'parse cache opened', 'registry listed', 'registry read', 'sync planned', 'reported'];
    expect(phasesOf(full.stderr)).toEqual(['start', 'manifest fingerprinted', 'manifest decoded', 'manifest JSON.parse', 'manifest parsed', 'manifest planned', ...registryPhases]);
    expect(phasesOf(cached.stderr)).toEqual(['start', 'manifest fingerprinted', 'plan read from cache', ...registryPhases]);
  });
});

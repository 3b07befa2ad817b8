/**
 * sync-dbt, "what it must show" 1: every shared manifest syncs into a fresh
 * registry (real binary, real git), the registry holds exactly what the plan
 * says, and a second sync of the same file writes nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, refState, tempDir } from '../helpers/machines.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { planFromManifest } from '../../src/dbt/plan.js';
import { FIXTURES, fixtureManifest, type FixtureName } from '../dbt/helpers.js';
import { freshRegistry, planCounts, registryCounts, registryFiles, runJson } from './helpers.js';

afterAll(cleanupTempDirs);

const OWNER_DEFAULT = 'data-platform';

/** Pinned in test/dbt/fixtures.test.ts (planned without --owner-default). */
const PINNED: Record<FixtureName, { assets: number; typed: number; guarantees: number; owned: number; consumers: number }> = {
  'jaffle-shop-v4': { assets: 8, typed: 0, guarantees: 18, owned: 0, consumers: 0 },
  'tuva-v8': { assets: 384, typed: 630, guarantees: 57, owned: 0, consumers: 0 },
  'dbt-docs-mesh-v9': { assets: 16, typed: 0, guarantees: 25, owned: 11, consumers: 5 },
  'bouncer-v11': { assets: 47, typed: 26, guarantees: 79, owned: 3, consumers: 3 },
  'jaffle-shop-v12-build': { assets: 39, typed: 164, guarantees: 20, owned: 0, consumers: 0 },
  'bouncer-v12': { assets: 57, typed: 46, guarantees: 85, owned: 8, consumers: 2 },
};

describe.skipIf(!sharedAvailable('fixtures', 'dbt'))('sync-dbt on the shared dbt fixtures', () => {
  for (const name of FIXTURES) {
    it(`${name}: syncs every asset, then a second sync writes nothing`, async () => {
      const bare = planCounts(planFromManifest(fixtureManifest(name)));
      const pinned = PINNED[name];
      expect({ assets: bare.assets, typed: bare.typed, guarantees: bare.guarantees, owned: Object.values(bare.owners).reduce((a, b) => a + b, 0), consumers: bare.consumers }).toEqual(pinned);

      const plan = planFromManifest(fixtureManifest(name), { ownerDefault: OWNER_DEFAULT });
      const expected = planCounts(plan);
      const root = tempDir('tessera-sync-');
      const { registry, ci } = await freshRegistry(root);
      const file = sharedPath('fixtures', 'dbt', name, 'manifest.json');

      const first = await runJson(ci, ['sync-dbt', file, '--owner-default', OWNER_DEFAULT]);
      expect(first.changed).toBe(true);
      expect(first.counts.created).toBe(pinned.assets);
      expect(first.totals).toMatchObject({ assets: pinned.assets, typed_columns: pinned.typed, guarantees: pinned.guarantees });
      expect(first.proposals).toEqual([]);
      expect(first.assets_written).toHaveLength(pinned.assets);

      const counts = registryCounts(await registryFiles(registry));
      expect(counts).toEqual(expected);
      // Assets the manifest itself gives an owner keep it; only the rest fall to the default.
      expect(pinned.assets - (counts.owners[OWNER_DEFAULT] ?? 0)).toBe(pinned.owned);
      const teams = await runJson(ci, ['team', 'list']);
      const teamNames = (teams.teams ?? teams).map((t: { name: string }) => t.name).sort();
      expect(teamNames).toEqual(plan.teams.map((t) => t.name).sort());

      // One run, one commit on main.
      const log = await runJson(ci, ['log']);
      expect(log.events.map((e: { event: string }) => e.event)).toEqual(['dbt.synced', 'registry.initialised']);
      expect(log.events[0].assets).toHaveLength(pinned.assets);

      const before = await refState(registry);
      const second = await ci.run(['sync-dbt', file, '--owner-default', OWNER_DEFAULT]);
      expect(second.exitCode, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/no changes/);
      expect(await refState(registry)).toBe(before);
      const again = await runJson(ci, ['sync-dbt', file, '--owner-default', OWNER_DEFAULT]);
      expect(again).toMatchObject({ changed: false, commit: null, findings: [] });
      expect(again.counts.unchanged).toBe(pinned.assets);
      expect(await refState(registry)).toBe(before);
    });
  }
});

/** parseManifest: what it reads and what it refuses. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { nodeColumns, parseManifest } from '../../src/dbt/manifest.js';
import { sharedAvailable } from '../helpers/shared.js';
import { fixtureJson, miniManifest, miniModel } from './helpers.js';

function refusal(input: unknown): InputError {
  try {
    parseManifest(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const err = e as InputError;
    expect(err.exitCode).toBe(2);
    expect(err.oneLine()).not.toContain('\n');
    return err;
  }
  throw new Error('expected an InputError');
}

describe('parseManifest refuses what is not a v4+ manifest', () => {
  it('a v3 manifest (dbt 0.20): says to regenerate with dbt >= 1.0', () => {
    const err = refusal(miniManifest({ version: 3 }));
    expect(err.oneLine()).toMatch(/manifest v3 is too old/);
    expect(err.oneLine()).toMatch(/regenerate it with dbt >= 1\.0: dbt parse/);
  });

  it('v1 and v2 too', () => {
    expect(refusal(miniManifest({ version: 1 })).message).toMatch(/v1 is too old/);
    expect(refusal(miniManifest({ version: 2 })).message).toMatch(/v2 is too old/);
  });

  it('a run_results.json passed as a manifest', () => {
    const rr = { metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json' }, results: [] };
    expect(refusal(rr).message).toMatch(/this is a dbt run-results file/);
    // Without a readable version it is still recognised by its shape.
    expect(refusal({ metadata: {}, results: [] }).message).toMatch(/looks like run_results\.json/);
  });

  it('a catalog.json passed as a manifest', () => {
    expect(refusal({ metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json' }, nodes: {} }).message).toMatch(/dbt catalog file/);
  });

  it('non-objects and garbage', () => {
    expect(refusal(null).message).toMatch(/got null/);
    expect(refusal([]).message).toMatch(/got an array/);
    expect(refusal('manifest').message).toMatch(/got a string/);
    expect(refusal(42).message).toMatch(/got number/);
    expect(refusal({ hello: 'world' }).message).toMatch(/missing "metadata"/);
    expect(refusal({ metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json' } }).message).toMatch(/missing "nodes"/);
    expect(refusal({ metadata: { dbt_schema_version: 'v12' }, nodes: {} }).message).toMatch(/dbt_schema_version is missing or unreadable/);
  });
});

describe('parseManifest is permissive inside a manifest', () => {
  it('reads a mistyped field as absent and keeps the node', () => {
    const m = parseManifest(
      miniManifest({
        nodes: {
          'model.mini.a': miniModel('a', { description: 42, tags: ['x', 7], columns: { id: { name: 'id', data_type: 5 }, ok: { name: 'ok', data_type: 'int' } } }),
          'model.mini.b': 'not a node',
        },
      }),
    );
    const a = m.nodes.get('model.mini.a');
    expect(a?.description).toBeUndefined();
    expect(a?.tags).toEqual(['x']);
    expect(nodeColumns(a!).get('id')?.data_type).toBeUndefined();
    expect(nodeColumns(a!).get('ok')?.data_type).toBe('int');
    expect(m.nodes.has('model.mini.b')).toBe(false);
  });

  it('accepts manifests newer than v12 (decides by fields, not by version)', () => {
    expect(parseManifest(miniManifest({ version: 13 })).schemaVersion).toBe(13);
  });

  it.skipIf(!sharedAvailable('fixtures', 'dbt'))('reads the version and metadata of a real manifest', () => {
    const m = parseManifest(fixtureJson('bouncer-v12'));
    expect(m.schemaVersion).toBe(12);
    expect(m.metadata).toMatchObject({ dbt_version: '1.10.22', adapter_type: 'duckdb', project_name: 'dbt_bouncer_test_project' });
    expect(m.unitTestCount).toBe(4);
    expect(parseManifest(fixtureJson('jaffle-shop-v4')).disabledCount).toBe(1);
  });
});

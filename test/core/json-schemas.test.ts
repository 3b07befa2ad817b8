/**
 * schemas/*.schema.json, the JSON Schemas editors use for registry files:
 * the committed files are what the generator makes from the zod models now,
 * every file of a real registry (made with the binary: init, teams, publish,
 * consume, breaking publishes, acks, a refused merge, a forced publish, and a
 * dbt sync with recorded test results) passes its schema, and hand-broken
 * files fail it, as they fail Tessera's own reading.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS_V1, cleanupTempDirs, machine, tempDir, writeJson, type Machine } from '../helpers/machines.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { assetSchema, consumerSchema, registryConfigSchema, teamSchema, versionSchema } from '../../src/core/model.js';
import { qualityRunSchema } from '../../src/core/quality.js';
import { FILE_KINDS, SCHEMA_DIR, fileKindFor, generateSchemas } from '../../scripts/gen-json-schemas.mjs';

interface FileKind {
  name: string;
  glob: string;
}
const KINDS = FILE_KINDS as FileKind[];
const kindOf = fileKindFor as (p: string) => FileKind | undefined;

const committed = (name: string) => readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8');

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>();
for (const k of KINDS) validators.set(k.name, ajv.compile(JSON.parse(committed(k.name))));
const validate = (kind: string, value: unknown) => {
  const v = validators.get(kind)!;
  const ok = v(value) as boolean;
  return { ok, errors: ajv.errorsText(v.errors) };
};

afterAll(cleanupTempDirs);

describe('schemas/ is current', () => {
  it('each committed schema equals what scripts/gen-json-schemas.mjs generates now', async () => {
    const generated: Map<string, string> = await generateSchemas();
    expect([...generated.keys()].sort()).toEqual(KINDS.map((k) => k.name).sort());
    const onDisk = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort();
    expect(onDisk, 'schemas/ holds a file no file kind generates: remove it or run npm run schemas').toEqual([...generated.keys()].map((n) => `${n}.schema.json`).sort());
    for (const [name, text] of generated) {
      expect(committed(name) === text, `schemas/${name}.schema.json is stale: run npm run schemas and commit the result`).toBe(true);
    }
  });

  it('every schema has its $id, a title and a description, and is valid draft-07', () => {
    for (const k of KINDS) {
      const s = JSON.parse(committed(k.name));
      expect(s.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(s.$id).toBe(`https://raw.githubusercontent.com/tessera-contracts/tessera/main/schemas/${k.name}.schema.json`);
      expect(s.title).toMatch(/^Tessera /);
      expect(s.description.length).toBeGreaterThan(20);
      expect(ajv.validateSchema(s)).toBe(true);
    }
  });

  it('maps registry paths to their kinds', () => {
    expect(kindOf('tessera.yaml')?.name).toBe('tessera');
    expect(kindOf('teams/growth.yaml')?.name).toBe('team');
    expect(kindOf('assets/a.b/asset.yaml')?.name).toBe('asset');
    expect(kindOf('assets/a.b/versions/1.0.0.yaml')?.name).toBe('version');
    expect(kindOf('assets/a.b/consumers/growth.yaml')?.name).toBe('consumer');
    expect(kindOf('assets/a.b/quality.yaml')?.name).toBe('asset-quality');
    expect(kindOf('quality/runs/abc.yaml')?.name).toBe('quality-run');
    expect(kindOf('proposals/p-12345678.yaml')?.name).toBe('proposal');
    expect(kindOf('README.md')).toBeUndefined();
    expect(kindOf('assets/a/b/asset.yaml')).toBeUndefined();
  });
});

describe('a real registry passes its schemas', () => {
  let root: string;
  let registry: string;
  let ana: Machine;
  let bo: Machine;
  const withQuality = sharedAvailable('fixtures', 'dbt', 'jaffle-shop-v12-build');

  beforeAll(async () => {
    root = tempDir('tessera-json-schemas-');
    registry = path.join(root, 'registry.git');
    ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: registry });
    bo = machine(root, 'bo', 'bo@acme.com', { TESSERA_REGISTRY: registry });
    const run = async (m: Machine, args: string[], code = 0) => {
      const r = await m.run(args);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      return r;
    };
    await run(ana, ['init', registry]);
    await run(ana, ['team', 'add', 'core', '--member', 'ana@acme.com', '--contact', '#core-data']);
    await run(ana, ['team', 'add', 'growth', '--member', 'bo@acme.com']);
    const v1 = writeJson(root, 'v1.json', USERS_V1);
    const guarantees = path.join(root, 'guarantees.yaml');
    writeFileSync(guarantees, '- {kind: not_null, column: user_id}\n- {kind: unique, column: user_id}\n');
    await run(ana, ['publish', 'analytics.users', v1, '--owner', 'core', '--description', 'one row per user', '--guarantees', guarantees]);
    await run(ana, ['publish', 'analytics.orders', v1, '--owner', 'core', '--kind', 'topic']);
    await run(bo, ['consume', 'analytics.users', '--team', 'growth', '--purpose', 'retention', '--fields', 'user_id,email']);
    await run(bo, ['consume', 'analytics.orders', '--team', 'growth']);
    // A breaking change, approved: the proposal merges and leaves its record on main.
    const noEmail = writeJson(root, 'v2.json', { ...USERS_V1, properties: { user_id: { type: 'integer' }, created_at: USERS_V1.properties.created_at } });
    const p1 = JSON.parse((await run(ana, ['publish', 'analytics.users', noEmail, '--json'])).stdout).proposal.id;
    await run(bo, ['ack', p1, '--team', 'growth']);
    // Another, blocked: an open proposal branch and an ack ref; merging it is refused.
    const onlyId = writeJson(root, 'v3.json', { type: 'object', properties: { user_id: { type: 'integer' } }, required: ['user_id'] });
    const p2 = JSON.parse((await run(ana, ['publish', 'analytics.users', onlyId, '--json'])).stdout).proposal.id;
    await run(bo, ['ack', p2, '--team', 'growth', '--decision', 'block', '--note', 'the churn model reads created_at']);
    await run(ana, ['merge', p2], 1);
    // A forced breaking change.
    await run(ana, ['publish', 'analytics.orders', onlyId, '--force', '--reason', 'GDPR erasure, consumers told in INC-42']);
    if (withQuality) {
      const dbt = (f: string) => sharedPath('fixtures', 'dbt', 'jaffle-shop-v12-build', f);
      await run(ana, ['sync-dbt', dbt('manifest.json'), '--owner-default', 'core']);
      await run(ana, ['record-results', dbt('run_results.json'), '--manifest', dbt('manifest.json')]);
    }
  });

  it('every YAML file on every ref (main, proposal branches, ack refs) validates against the schema of its kind', async () => {
    const git = async (args: string[]) => (await execa('git', args, { cwd: registry })).stdout;
    const refs = (await git(['for-each-ref', '--format=%(refname)'])).split('\n').filter(Boolean);
    expect(refs.some((r) => r.startsWith('refs/heads/tessera/proposals/'))).toBe(true);
    expect(refs.some((r) => r.startsWith('refs/tessera/acks/'))).toBe(true);
    const seen = new Map<string, number>();
    const blobs = new Set<string>();
    for (const ref of refs) {
      for (const line of (await git(['ls-tree', '-r', ref])).split('\n')) {
        const [meta, file] = line.split('\t') as [string, string];
        const oid = meta.split(' ')[2]!;
        if (!file.endsWith('.yaml') || blobs.has(oid)) continue;
        blobs.add(oid);
        const kind = kindOf(file);
        expect(kind, `${file} (on ${ref}) has no schema`).toBeDefined();
        const value = parse(await git(['cat-file', 'blob', oid]));
        const r = validate(kind!.name, value);
        expect(r.ok, `${file} on ${ref}: ${r.errors}`).toBe(true);
        seen.set(kind!.name, (seen.get(kind!.name) ?? 0) + 1);
      }
    }
    const expected = ['tessera', 'team', 'asset', 'version', 'consumer', 'proposal', ...(withQuality ? ['asset-quality', 'quality-run'] : [])];
    for (const k of expected) expect(seen.get(k), `no ${k} file was checked`).toBeGreaterThan(0);
  });
});

describe('hand-broken files fail their schema as they fail Tessera', () => {
  const team = { name: 'growth', members: ['bo@acme.com'], created_by: 'bo@acme.com', created_at: '2026-01-01T00:00:00Z' };
  const asset = { id: 'analytics.users', owner: 'core', kind: 'table', tags: [], current_version: '1.0.0' };
  const cases: Array<[string, string, unknown, { safeParse: (v: unknown) => { success: boolean } }]> = [
    ['a team member email too short to be one', 'team', { ...team, members: ['b@'] }, teamSchema],
    ['a team member that is not a string', 'team', { ...team, members: [42] }, teamSchema],
    ['a team name with capitals', 'team', { ...team, name: 'Growth' }, teamSchema],
    ['an asset id ending in .lock', 'asset', { ...asset, id: 'analytics.users.lock' }, assetSchema],
    ['an asset id ending in a dot', 'asset', { ...asset, id: 'analytics.' }, assetSchema],
    ['an asset of an unknown kind', 'asset', { ...asset, kind: 'spreadsheet' }, assetSchema],
    ['a version that is not semver', 'asset', { ...asset, current_version: '1.0' }, assetSchema],
    ['registry format 2', 'tessera', { format: 2 }, registryConfigSchema],
    ['an unknown compatibility mode', 'tessera', { format: 1, defaults: { compatibility_mode: 'sideways' } }, registryConfigSchema],
    ['a consumer without registered_by', 'consumer', { team: 'growth', asset: 'a', registered_at: '2026-01-01T00:00:00Z' }, consumerSchema],
    ['an ack with an unknown decision', 'consumer', { team: 'growth', asset: 'a', registered_by: 'bo@acme.com', registered_at: 'x', acks: [{ proposal: 'p-1', decision: 'maybe', by: 'bo@acme.com', at: 'x', fingerprint: 'f' }] }, consumerSchema],
    ['a version schema that is a string', 'version', { asset: 'a', version: '1.0.0', schema: 'object', compatibility_mode: 'backward', content_model: 'closed', published_by: 'ana@acme.com', published_at: 'x' }, versionSchema],
    ['a quality event with a negative failure count', 'quality-run', { invocation_id: 'abc', recorded_at: 'x', recorded_by: 'ci@acme.com', events: [{ asset: 'a', guarantee: { kind: 'unique' }, test: 't', status: 'fail', failures: -1 }] }, qualityRunSchema],
  ];
  for (const [what, kind, value, zodSchema] of cases) {
    it(what, () => {
      expect(zodSchema.safeParse(value).success, 'Tessera itself must refuse it').toBe(false);
      expect(validate(kind, value).ok).toBe(false);
    });
  }

  it('the same files unbroken pass (so the cases above fail for their one change)', () => {
    expect(validate('team', team).ok).toBe(true);
    expect(validate('asset', asset).ok).toBe(true);
    expect(validate('tessera', { format: 1 }).ok).toBe(true);
  });

  it('an unknown key (a typo) is flagged, which Tessera would drop silently', () => {
    const typo = { ...team, memebers: ['li@acme.com'] };
    expect(teamSchema.safeParse(typo).success).toBe(true);
    const r = validate('team', typo);
    expect(r.ok).toBe(false);
    expect(r.errors).toContain('must NOT have additional properties');
  });
});

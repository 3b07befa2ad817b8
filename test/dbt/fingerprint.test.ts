/**
 * The manifest content fingerprint (src/dbt/fingerprint.ts): equal for
 * manifests that plan the same, different for any byte planning can read.
 */
import { describe, expect, it } from 'vitest';
import { manifestFingerprint, metadataSpan, PLANNING_METADATA_FIELDS } from '../../src/dbt/fingerprint.js';
import { manifestHeader, planFromManifest } from '../../src/dbt/plan.js';
import { NODE_FIELDS, parseManifest, readManifestMetadata } from '../../src/dbt/manifest.js';
import { demoJson, fixtureJson, FIXTURES } from './helpers.js';
import { sharedAvailable } from '../helpers/shared.js';

type Json = Record<string, any>;

const demo = () => structuredClone(demoJson('manifest.json')) as Json;
const bytes = (v: unknown, indent?: number) => Buffer.from(JSON.stringify(v, null, indent), 'utf8');
const fp = (v: unknown, indent?: number) => manifestFingerprint(bytes(v, indent));

/** Every metadata field a dbt run changes or planning does not read, changed. */
function rerun(m: Json): Json {
  const out = structuredClone(m);
  out.metadata = {
    ...out.metadata,
    generated_at: '2026-11-26T10:00:00.000000Z',
    invocation_id: '99999999-0000-4000-8000-000000000000',
    invocation_started_at: '2026-11-26T09:59:00.000000Z',
    env: { DBT_ENV_CUSTOM_ENV_RUN: '42' },
    dbt_version: '1.9.4',
    project_name: 'shop_renamed',
    project_id: 'ffff',
    user_id: 'someone',
    send_anonymous_usage_stats: true,
  };
  return out;
}

describe('manifest fingerprint', () => {
  it('is the same for another dbt invocation of the same project, and returns that run\'s metadata', () => {
    const a = fp(demo());
    const b = fp(rerun(demo()));
    expect(b.content).toBe(a.content);
    expect(b.metadata?.['invocation_id']).toBe('99999999-0000-4000-8000-000000000000');
    // Whitespace inside the metadata object does not count either.
    const pretty = Buffer.from(`{"metadata":   ${JSON.stringify(demo().metadata, null, 4)}${bytes(demo()).subarray(bytes({ metadata: demo().metadata }).length - 1).toString()}`);
    expect(manifestFingerprint(pretty).content).toBe(a.content);
  });

  it.each(PLANNING_METADATA_FIELDS)('changes with metadata.%s, which planning reads', (field) => {
    const m = demo();
    m.metadata[field] = field === 'adapter_type' ? 'snowflake' : 'https://schemas.getdbt.com/dbt/manifest/v11.json';
    expect(fp(m).content).not.toBe(fp(demo()).content);
  });

  it('changes with any byte after the metadata: a column type, a test, a line of SQL', () => {
    const base = fp(demo()).content;
    const nodes = Object.values(demo().nodes) as Json[];
    const model = nodes.find((n) => n.resource_type === 'model' && Object.keys(n.columns ?? {}).length > 0)!;
    const column = Object.keys(model.columns)[0]!;
    const typed = demo();
    typed.nodes[model.unique_id].columns[column].data_type = 'some_other_type';
    const sql = demo();
    sql.nodes[model.unique_id].raw_code = `${model.raw_code ?? ''} -- edited`;
    const dropped = demo();
    const test = nodes.find((n) => n.resource_type === 'test')!;
    delete dropped.nodes[test.unique_id];
    const contents = [typed, sql, dropped].map((m) => fp(m).content);
    expect(new Set([base, ...contents]).size).toBe(4);
  });

  it('hashes every byte when the manifest does not start with its metadata, and returns none', () => {
    const { metadata, ...rest } = demo();
    const late = { ...rest, metadata };
    const f = fp(late);
    expect(f.metadata).toBeUndefined();
    expect(f.content).not.toBe(fp(demo()).content);
    // Then even the invocation id counts.
    expect(fp({ ...rest, metadata: rerun(demo()).metadata }).content).not.toBe(f.content);
  });

  it('finds the end of metadata past strings holding braces, quotes and backslashes', () => {
    const m = demo();
    m.metadata.env = { WEIRD: 'a}b]c"d\\', OTHER: '{[' };
    const b = bytes(m);
    const span = metadataSpan(b)!;
    expect(JSON.parse(b.subarray(span.start, span.end).toString('utf8'))).toEqual(m.metadata);
    expect(fp(m).content).toBe(fp(demo()).content);
  });

  it('reads no metadata from a truncated file or a metadata value that is not an object', () => {
    const b = bytes(demo());
    expect(manifestFingerprint(b.subarray(0, 40)).metadata).toBeUndefined();
    expect(fp({ metadata: 'v12', nodes: {} }).metadata).toBeUndefined();
    expect(manifestFingerprint(Buffer.from('')).metadata).toBeUndefined();
    expect(manifestFingerprint(Buffer.from('[1,2]')).metadata).toBeUndefined();
  });

  it('planning reads only the fingerprinted metadata fields: another run plans the same but for its header', () => {
    const a = planFromManifest(parseManifest(demo()), { ownerDefault: 'data-platform' });
    const again = rerun(demo());
    const b = planFromManifest(parseManifest(again), { ownerDefault: 'data-platform' });
    expect({ ...b, manifest: undefined }).toEqual({ ...a, manifest: undefined });
    const m = readManifestMetadata(again.metadata)!;
    expect(b.manifest).toEqual(manifestHeader(m.schemaVersion, m.metadata));
    expect(b.manifest).toMatchObject({ projectName: 'shop_renamed', invocationId: '99999999-0000-4000-8000-000000000000' });
  });
});

/**
 * Node fields no reader looks at, as dbt writes them (file checksum, paths, unrendered config). The SQL
 * (raw_code, compiled_code) is read since scoped acknowledgments: a cross-team model's columns scope its team.
 */
const UNREAD = ['checksum', 'fqn', 'path', 'patch_path', 'build_path', 'compiled_path', 'unrendered_config', 'created_at', 'language', 'refs', 'docs'];

/** Every node (in nodes and sources) with `edit` applied. */
function eachNode(m: Json, edit: (node: Json) => void): Json {
  const out = structuredClone(m);
  for (const section of ['nodes', 'sources']) for (const n of Object.values(out[section] ?? {}) as Json[]) edit(n);
  return out;
}

/** The SQL and everything else of every node that no reader looks at, changed where the node has it (a field added or removed is another shape, so another fingerprint: a miss, never a wrong hit). */
function unreadChanged(m: Json): Json {
  const values: Record<string, (n: Json) => unknown> = {
    checksum: () => ({ name: 'sha256', checksum: 'f'.repeat(64) }),
    fqn: (n) => ['moved', ...(Array.isArray(n.fqn) ? n.fqn : [])],
    unrendered_config: () => ({ materialized: 'incremental', nested: { deep: [1, { x: '}' }] } }),
    created_at: () => 1_800_000_000.5,
    path: () => 'models/moved/x.sql',
    compiled_path: () => null,
    refs: () => [{ name: 'x', package: null, version: null }],
    docs: () => ({ show: false, node_color: null }),
  };
  expect(UNREAD.filter((f) => NODE_FIELDS.includes(f))).toEqual([]);
  return eachNode(m, (n) => {
    for (const [f, value] of Object.entries(values)) if (f in n) n[f] = value(n);
  });
}

const input = (v: unknown, indent?: number) => manifestFingerprint(bytes(v, indent)).contractInput();

describe('contract-input fingerprint', () => {
  it('is the same when only node fields no reader looks at changed (checksum, fqn, ...), while the content fingerprint differs', () => {
    for (const indent of [undefined, 2]) {
      const changed = unreadChanged(demo());
      expect(input(changed, indent)).toBeDefined();
      expect(input(changed, indent)).toBe(input(demo(), indent));
      expect(fp(changed, indent).content).not.toBe(fp(demo(), indent).content);
    }
    // And another dbt run on top of that.
    expect(input(rerun(unreadChanged(demo())))).toBe(input(demo()));
  });

  it.each(NODE_FIELDS)('changes when node field %s changes', (field) => {
    const base = demo();
    const uid = Object.keys(base.nodes).find((k) => base.nodes[k].resource_type === 'model')!;
    const changed = structuredClone(base);
    const before = changed.nodes[uid][field];
    changed.nodes[uid][field] = field === 'columns' ? { ...(before ?? {}), extra_col: { name: 'extra_col', data_type: 'int' } } : { changed: field };
    expect(changed.nodes[uid][field]).not.toEqual(before);
    expect(input(changed)).not.toBe(input(base));
    // In a source too.
    const sourceId = Object.keys(base.sources)[0]!;
    const inSource = structuredClone(base);
    inSource.sources[sourceId][field] = { changed: field };
    expect(input(inSource)).not.toBe(input(base));
  });

  it('changes with every other part of the manifest: exposures, groups, child_map, disabled, macros, a new section', () => {
    const base = input(demo());
    const edits: Array<(m: Json) => void> = [
      (m) => (m.exposures = { ...m.exposures, 'exposure.shop.new': { name: 'new', owner: { name: 'x' } } }),
      (m) => (m.groups = { ...m.groups, 'group.shop.g': { name: 'g' } }),
      (m) => (m.child_map = { ...m.child_map, 'model.shop.x': ['model.shop.y'] }),
      (m) => (m.disabled = { 'model.shop.off': [{ raw_code: 'select 1' }] }),
      (m) => (m.macros = { 'macro.shop.m': { raw_code: 'x' } }),
      (m) => (m.a_new_section = 1),
    ];
    const all = edits.map((edit) => {
      const m = demo();
      edit(m);
      return input(m);
    });
    expect(new Set([base, ...all]).size).toBe(edits.length + 1);
  });

  it('keeps a node field whose key is written with escapes: its bytes are not its name', () => {
    const text = bytes(demo()).toString('utf8');
    const uid = Object.keys(demo().nodes)[0]!;
    // The node's own "resource_type" (no other object has that key) spelled "res\\u006furce_type".
    const keyAt = text.indexOf('"resource_type":', text.indexOf(JSON.stringify(uid) + ':'));
    const escaped = text.slice(0, keyAt) + '"res\\u006furce_type":' + text.slice(keyAt + '"resource_type":'.length);
    const parsed = JSON.parse(escaped) as Json;
    expect(parsed.nodes[uid].resource_type).toBe((demo().nodes[uid] as Json).resource_type);
    const retyped = escaped.replace(/("res\\u006furce_type":")([^"]*)"/, '$1seed"');
    expect((JSON.parse(retyped) as Json).nodes[uid].resource_type).toBe('seed');
    expect(manifestFingerprint(Buffer.from(retyped)).contractInput()).not.toBe(manifestFingerprint(Buffer.from(escaped)).contractInput());
  });

  it('gives none for bytes that do not scan as JSON, never the intact manifest\'s', () => {
    const b = bytes(demo());
    const intact = manifestFingerprint(b).contractInput();
    for (let k = 1; k <= 25; k++) {
      const cut = Math.floor((b.length * k) / 26);
      const got = manifestFingerprint(b.subarray(0, cut)).contractInput();
      expect(got === undefined || got !== intact, `cut at ${cut}`).toBe(true);
    }
    expect(manifestFingerprint(Buffer.from('{"metadata": {}, "nodes": {"a": {"name" 1}}}')).contractInput()).toBeUndefined();
    expect(manifestFingerprint(Buffer.from('{"metadata": {}, "nodes": {}} trailing')).contractInput()).toBeDefined();
  });

  it('plans the same for manifests with the same contract input: no reader looks at the fields it leaves out', () => {
    const a = planFromManifest(parseManifest(demo()), { ownerDefault: 'data-platform' });
    const b = planFromManifest(parseManifest(unreadChanged(demo())), { ownerDefault: 'data-platform' });
    expect(b).toEqual(a);
  });
});

describe.skipIf(!sharedAvailable('fixtures', 'dbt'))('contract-input fingerprint on the shared dbt manifests', () => {
  it.each(FIXTURES)('%s: SQL changes keep it, a column type change does not, and the plan is the same', (name) => {
    const m = fixtureJson(name) as Json;
    const changed = unreadChanged(m);
    expect(input(changed)).toBeDefined();
    expect(input(changed)).toBe(input(m));
    const plan = (v: Json) => planFromManifest(parseManifest(v), { ownerDefault: 'data-platform' });
    expect(plan(changed)).toEqual(plan(m));
    const typed = structuredClone(m);
    const node = (Object.values(typed.nodes) as Json[]).find((n) => Object.keys(n.columns ?? {}).length > 0);
    if (node) {
      const col = Object.values(node.columns)[0] as Json;
      col.data_type = `${String(col.data_type ?? '')}_changed`;
      expect(input(typed)).not.toBe(input(m));
    }
  });
});

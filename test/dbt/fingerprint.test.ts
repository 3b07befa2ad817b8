/**
 * The manifest content fingerprint (src/dbt/fingerprint.ts): equal for
 * manifests that plan the same, different for any byte planning can read.
 */
import { describe, expect, it } from 'vitest';
import { manifestFingerprint, metadataSpan, PLANNING_METADATA_FIELDS } from '../../src/dbt/fingerprint.js';
import { manifestHeader, planFromManifest } from '../../src/dbt/plan.js';
import { parseManifest, readManifestMetadata } from '../../src/dbt/manifest.js';
import { demoJson } from './helpers.js';

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

/**
 * Issue 17: `tessera diff --json` of Avro schemas says what judged them
 * (`format: "avro"`) instead of printing JSON Schema defaults that never
 * applied: content_model, policy and profile are null, with the reason.
 * The diff embedded in `check --json` and `publish --json` says the same.
 * JSON Schema diffs keep their settings, with `format: "json-schema"`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, machine, tempDir, writeJson, USERS_V1 } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

const order = (fields: unknown[]) => ({ type: 'record', name: 'Order', fields });
const V1 = order([{ name: 'id', type: 'long' }, { name: 'qty', type: 'int' }]);
const V2 = order([{ name: 'id', type: 'long' }, { name: 'qty', type: 'int' }, { name: 'store', type: 'string' }]);
const root = tempDir();
const ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: path.join(root, 'registry.git') });

const AVRO_SETTINGS = { format: 'avro', content_model: null, policy: null, profile: null };

describe('diff --json of Avro schemas', () => {
  it('names the format and nulls the JSON Schema settings, with the reason', async () => {
    const r = await ana.run(['diff', writeJson(root, 'v1.avsc', V1), writeJson(root, 'v2.avsc', V2), '--json']);
    expect(r.exitCode, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ schema_version: 'tessera.diff/v1', mode: 'backward', ...AVRO_SETTINGS, compatible: false, bump: 'major' });
    expect(out.not_applicable).toMatch(/Avro schemas are judged by Avro's resolution rules/);
    expect(out.changes).toEqual([expect.objectContaining({ rule: 'avro.field-added-without-default', path: '/fields/store', kind: 'breaking', breaks: ['backward'] })]);
  });

  it('a JSON Schema diff keeps its settings and says json-schema', async () => {
    const r = await ana.run(['diff', writeJson(root, 'u1.json', USERS_V1), writeJson(root, 'u2.json', USERS_V1), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ format: 'json-schema', content_model: 'closed', policy: 'strict', profile: 'tessera' });
    expect(out).not.toHaveProperty('not_applicable');
  });

  it('check --json and publish --json embed the same honest diff for an Avro contract', async () => {
    expect((await ana.run(['init', path.join(root, 'registry.git')])).exitCode).toBe(0);
    expect((await ana.run(['team', 'add', 'checkout', '--member', 'ana@acme.com'])).exitCode).toBe(0);
    expect((await ana.run(['publish', 'shop.orders', writeJson(root, 'p1.avsc', V1), '--owner', 'checkout', '--kind', 'topic'])).exitCode).toBe(0);
    const check = await ana.run(['check', 'shop.orders', writeJson(root, 'p2.avsc', V2), '--json']);
    expect(check.exitCode, check.stderr).toBe(1);
    expect(JSON.parse(check.stdout).diff).toMatchObject({ ...AVRO_SETTINGS, compatible: false });
    const dry = await ana.run(['publish', 'shop.orders', writeJson(root, 'p2.avsc', V2), '--dry-run', '--json']);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).diff).toMatchObject(AVRO_SETTINGS);
  });
});

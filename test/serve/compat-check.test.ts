/**
 * `POST /api/v1/compat/check` (issue 15): "a diff of two schemas, or of a
 * schema against an asset's current contract, with nothing written", for
 * JSON Schema and Avro contracts alike (issue 17), with the verdict the CLI
 * gives for the same input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, refState, writeJson, USERS_V1, USERS_V2_NO_EMAIL } from '../helpers/machines.js';
import { call, must, startServe, teamRegistry, type Served } from './harness.js';

const ORDER_V1 = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }, { name: 'amount', type: 'double' }] };
// A new reader's field without a default cannot read old data: not backward compatible.
const ORDER_NO_DEFAULT = { ...ORDER_V1, fields: [...ORDER_V1.fields, { name: 'currency', type: 'string' }] };
const ORDER_WITH_DEFAULT = { ...ORDER_V1, fields: [...ORDER_V1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };

let served: Served;
let key: string;
let registry: string;
let t: Awaited<ReturnType<typeof teamRegistry>>;

beforeAll(async () => {
  t = await teamRegistry('tessera-serve-compat-', { core: 'pat@acme.com', growth: 'bea@acme.com' });
  registry = t.registry;
  const core = t.members.core!;
  must(await core.run(['publish', 'users', writeJson(t.root, 'users.json', USERS_V1), '--owner', 'core']), 'publish users');
  must(await t.members.growth!.run(['consume', 'users', '--team', 'growth']), 'consume users');
  must(await core.run(['publish', 'shop.orders', writeJson(t.root, 'order.avsc', ORDER_V1), '--owner', 'core', '--kind', 'topic', '--mode', 'backward']), 'publish orders');
  key = must(await core.run(['key', 'create', '--team', 'core', '--scope', 'read']), 'key').trim();
  served = await startServe({ TESSERA_REGISTRY: registry });
}, 120_000);

afterAll(async () => {
  await served?.stop();
  cleanupTempDirs();
});

const check = (body: unknown) => call(served.url, 'POST', '/api/v1/compat/check', { key, body });

describe('POST /api/v1/compat/check', () => {
  it('two JSON Schemas: dropping a required column is incompatible, with the rule that says why', async () => {
    const r = await check({ old: USERS_V1, new: USERS_V2_NO_EMAIL, compatibility_mode: 'backward' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ format: 'json-schema', compatible: false, mode: 'backward' });
    expect(r.body.changes.some((c: { path: string; breaking: boolean }) => c.path === '/properties/email' && c.breaking)).toBe(true);
  });

  it("against an asset's current contract: the verdict tessera check gives, with the teams it would wait for; nothing written", async () => {
    const before = await refState(registry);
    const r = await check({ asset: 'users', new: USERS_V2_NO_EMAIL });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ format: 'json-schema', asset: 'users', action: 'breaking', compatible: false, from_version: '1.0.0', required_teams: ['growth'] });
    const cli = await t.members.core!.run(['check', 'users', writeJson(t.root, 'v2.json', USERS_V2_NO_EMAIL), '--json']);
    expect(cli.exitCode).toBe(1);
    expect(r.body.changes.map((c: { rule: string }) => c.rule)).toEqual(JSON.parse(cli.stdout).diff.changes.map((c: { rule: string }) => c.rule));
    expect(await refState(registry)).toBe(before);
  });

  it("two Avro schemas, judged by Avro's resolution: a new field needs a default to read old data", async () => {
    const without = await check({ old: ORDER_V1, new: ORDER_NO_DEFAULT, compatibility_mode: 'backward' });
    expect(without.status, JSON.stringify(without.body)).toBe(200);
    expect(without.body).toMatchObject({ format: 'avro', compatible: false });
    expect(without.body.changes.some((c: { rule: string; breaking: boolean }) => c.rule.startsWith('avro.') && c.breaking)).toBe(true);
    const withDefault = await check({ old: ORDER_V1, new: ORDER_WITH_DEFAULT, compatibility_mode: 'backward' });
    expect(withDefault.body).toMatchObject({ format: 'avro', compatible: true });
  });

  it("an Avro schema against an Avro asset's current contract", async () => {
    const r = await check({ asset: 'shop.orders', new: ORDER_NO_DEFAULT });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ format: 'avro', asset: 'shop.orders', compatible: false, mode: 'backward' });
    expect((await check({ asset: 'shop.orders', new: ORDER_WITH_DEFAULT })).body).toMatchObject({ format: 'avro', compatible: true, action: 'published' });
  });

  it('bad input: one JSON error each, nothing written', async () => {
    const before = await refState(registry);
    const cases: Array<[unknown, number, string]> = [
      [{ new: USERS_V1 }, 400, 'invalid_body'],
      [{ old: USERS_V1, asset: 'users', new: USERS_V1 }, 400, 'invalid_body'],
      [{ old: USERS_V1 }, 400, 'invalid_body'],
      [{ old: ORDER_V1, new: { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'Nope' }] } }, 422, 'invalid_schema'],
      [{ asset: '../x', new: USERS_V1 }, 400, 'invalid_input'],
      [{ asset: 'no.such.asset', new: USERS_V1 }, 404, 'not_found'],
    ];
    for (const [body, status, code] of cases) {
      const r = await check(body);
      expect([r.status, r.body.error?.code], JSON.stringify(r.body)).toEqual([status, code]);
      expect(r.body.error.message.split('\n')).toHaveLength(1);
    }
    expect(await refState(registry)).toBe(before);
  });
});

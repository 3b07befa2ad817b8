/**
 * tessera serve without a key: health, readiness, the OpenAPI document
 * (validated by @seriousme/openapi-schema-validator and checked against the
 * routes served), JSON errors for no key and no route, and a clean SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { cleanupTempDirs, machine, refState, tempDir } from '../helpers/machines.js';
import { tessera } from '../helpers/cli.js';
import { call, startServe, type Served } from './harness.js';

let root: string;
let registry: string;
let served: Served;

beforeAll(async () => {
  root = tempDir('tessera-serve-');
  registry = path.join(root, 'registry');
  const pat = machine(root, 'pat', 'pat@acme.com', { TESSERA_REGISTRY: registry });
  expect((await pat.run(['init', registry])).exitCode).toBe(0);
  expect((await pat.run(['team', 'add', 'core', '--member', 'pat@acme.com'])).exitCode).toBe(0);
  served = await startServe(pat.env);
}, 60_000);

afterAll(async () => {
  await served?.stop();
  cleanupTempDirs();
});

const errorShape = (body: any) => {
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.code).toBe('string');
  expect(body.error.message).toMatch(/\S/);
  expect(typeof body.error.fix).toBe('string');
  expect(body.error.message).not.toContain('\n');
};

describe('tessera serve', () => {
  it('answers /healthz and becomes ready', async () => {
    expect((await call(served.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    let ready = await call(served.url, 'GET', '/readyz');
    for (let i = 0; i < 50 && ready.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await call(served.url, 'GET', '/readyz');
    }
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('serves an OpenAPI 3.1 document that a validator accepts', async () => {
    const doc = await call(served.url, 'GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('serves every documented operation (each asks for a key, none is missing), and nothing undocumented', async () => {
    const doc = (await call(served.url, 'GET', '/api/v1/openapi.json')).body;
    const ops: string[] = [];
    for (const [p, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(item)) {
        ops.push(`${method.toUpperCase()} ${p}`);
        const concrete = p.replace('{id}', p.startsWith('/proposals') ? 'p-1a2b3c4d' : 'users').replace('{version}', '1.0.0').replace('{team}', 'core');
        const r = await call(served.url, method.toUpperCase(), `/api/v1${concrete}`);
        expect([r.status, r.body.error?.code], `${method} ${p}`).toEqual([401, 'no_key']);
      }
    }
    // The endpoints of this round, each documented.
    for (const op of ['POST /assets/{id}/contracts', 'POST /proposals/{id}/acknowledge', 'GET /assets', 'GET /assets/{id}', 'GET /assets/{id}/contracts', 'GET /assets/{id}/contracts/{version}', 'GET /assets/{id}/contracts/diff', 'GET /proposals', 'GET /proposals/{id}', 'POST /assets/{id}/registrations', 'DELETE /assets/{id}/registrations/{team}', 'POST /proposals/{id}/withdraw', 'POST /proposals/{id}/merge', 'POST /compat/check', 'GET /log', 'GET /teams']) {
      expect(ops).toContain(op);
    }
    const missing = await call(served.url, 'GET', '/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('no_route');
    const wrongMethod = await call(served.url, 'PUT', '/api/v1/assets');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    errorShape(wrongMethod.body);
  });

  it('refuses a request without a key: 401, a JSON error, WWW-Authenticate, the registry unchanged', async () => {
    const before = await refState(registry);
    const r = await call(served.url, 'POST', '/api/v1/assets/my-asset-id/contracts', { body: { schema: { type: 'object' } } });
    expect(r.status).toBe(401);
    errorShape(r.body);
    expect(r.body.error.code).toBe('no_key');
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await refState(registry)).toBe(before);
  });

  it('stops on SIGTERM with exit 0', async () => {
    const pat = machine(root, 'pat2', 'pat@acme.com', { TESSERA_REGISTRY: registry });
    const other = await startServe(pat.env);
    expect((await call(other.url, 'GET', '/healthz')).status).toBe(200);
    expect(await other.stop('SIGTERM')).toBe(0);
  });

  it('refuses a bad --port, --max-body and --max-manifest-body with one line, exit 2, registry unchanged', async () => {
    const env = { TESSERA_REGISTRY: registry };
    const before = await refState(registry);
    for (const args of [['serve', '--port', '70000'], ['serve', '--max-body', 'lots'], ['serve', '--max-manifest-body', '0'], ['serve', '--max-manifest-body', '1.5']]) {
      const r = await tessera(args, { env });
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      if (args[1] === '--max-manifest-body') expect(r.stderr).toMatch(/--max-manifest-body .* is not a number of bytes/);
    }
    expect(await refState(registry)).toBe(before);
  });
});

/**
 * Issue 15, "What it must show" 3: auth and bad input against the real
 * `tessera serve`. Each refusal has the right status, a JSON error
 * {code, message, fix} and leaves every ref of the registry as it was; the
 * server's stderr never contains a key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, machine, refState, tempDir, USERS_V1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { call, must, startServe, type ApiReply, type Served } from './harness.js';

let root: string;
let registry: string;
let served: Served;
let ana: Machine;
const keys: Record<string, string> = {};
let proposalId = '';

beforeAll(async () => {
  root = tempDir('tessera-serve-auth-');
  registry = path.join(root, 'registry.git');
  const env = { TESSERA_REGISTRY: registry };
  ana = machine(root, 'ana', 'ana@acme.com', env);
  const fay = machine(root, 'fay', 'fay@acme.com', env);
  must(await ana.run(['init', registry]), 'init');
  must(await ana.run(['team', 'add', 'growth', '--member', 'ana@acme.com']), 'team growth');
  must(await ana.run(['team', 'add', 'finance', '--member', 'fay@acme.com']), 'team finance');
  const key = async (m: Machine, args: string[], extra: Record<string, string> = {}) => {
    const r = await (Object.keys(extra).length ? machine(root, `${m.name}-x`, m.email, { ...env, ...extra }) : m).run(['key', 'create', ...args]);
    return must(r, `key ${args.join(' ')}`).trim();
  };
  keys.growth = await key(ana, ['--team', 'growth']);
  keys.reader = await key(ana, ['--team', 'growth', '--scope', 'read']);
  keys.finance = await key(fay, ['--team', 'finance']);
  keys.revoked = await key(ana, ['--team', 'growth', '--name', 'old']);
  must(await ana.run(['key', 'revoke', keys.revoked.split('_')[1]!]), 'revoke');
  keys.expired = await key(ana, ['--team', 'growth', '--expires', '1d'], { TESSERA_NOW: '2020-01-01T00:00:00Z' });
  served = await startServe(ana.env);
  // An asset finance consumes, with a proposal waiting for finance.
  const pub = await call(served.url, 'POST', '/api/v1/assets/users/contracts', { key: keys.growth, body: { schema: USERS_V1 } });
  expect(pub.status).toBe(201);
  expect((await call(served.url, 'POST', '/api/v1/assets/users/registrations', { key: keys.finance, body: {} })).status).toBe(201);
  const prop = await call(served.url, 'POST', '/api/v1/assets/users/contracts', { key: keys.growth, body: { schema: USERS_V2_NO_EMAIL } });
  expect(prop.status).toBe(202);
  proposalId = prop.body.proposal.id;
}, 180_000);

afterAll(async () => {
  await served?.stop();
  cleanupTempDirs();
});

function refused(r: ApiReply, status: number, code: string): void {
  expect([r.status, r.body?.error?.code], JSON.stringify(r.body)).toEqual([status, code]);
  expect(Object.keys(r.body)).toEqual(['error']);
  expect(r.body.error.message).toMatch(/\S/);
  expect(r.body.error.message).not.toContain('\n');
  expect(r.body.error.fix).toMatch(/\S/);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
}

const publishV3 = { schema: { type: 'object', properties: { user_id: { type: 'integer' } } } };

describe('tessera serve: auth and bad input leave the registry unchanged', () => {
  const cases: Array<[string, () => Promise<ApiReply>, number, string]> = [
    ['no key', () => call(served.url, 'POST', '/api/v1/assets/orders/contracts', { body: publishV3 }), 401, 'no_key'],
    ['not a bearer header', () => call(served.url, 'GET', '/api/v1/assets', { headers: { Authorization: 'Basic YTpi' } }), 401, 'no_key'],
    ['an unknown key', () => call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key: 'tsk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', body: publishV3 }), 401, 'unknown_key'],
    ['a revoked key', () => call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key: keys.revoked!, body: publishV3 }), 401, 'revoked_key'],
    ['an expired key', () => call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key: keys.expired!, body: publishV3 }), 401, 'expired_key'],
    ['a read-only key on a write', () => call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key: keys.reader!, body: publishV3 }), 403, 'insufficient_scope'],
    ["another team's key on an ack (naming the team)", () => call(served.url, 'POST', `/api/v1/proposals/${proposalId}/acknowledge`, { key: keys.growth!, body: { decision: 'approve', team: 'finance' } }), 403, 'wrong_team'],
    ["another team's key unregistering a team", () => call(served.url, 'DELETE', '/api/v1/assets/users/registrations/finance', { key: keys.growth! }), 403, 'wrong_team'],
    ['a malformed JSON body', () => call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key: keys.growth!, raw: '{"schema": {"type": "object",' }), 400, 'malformed_json'],
    ['a body over the size limit', () => call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key: keys.growth!, raw: JSON.stringify({ schema: { type: 'object', description: 'x'.repeat(1024 * 1024 + 10) } }) }), 413, 'body_too_large'],
    ['a body without a schema', () => call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key: keys.growth!, body: { compatibility_mode: 'backward' } }), 400, 'invalid_body'],
    ['an invalid schema', () => call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key: keys.growth!, body: { schema: { type: 'objekt' } } }), 422, 'invalid_schema'],
    ['an unknown compatibility mode', () => call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key: keys.growth!, body: { ...publishV3, compatibility_mode: 'sideways' } }), 422, 'invalid_schema'],
    ['a hostile asset id', () => call(served.url, 'POST', `/api/v1/assets/${encodeURIComponent('../../etc/passwd')}/contracts`, { key: keys.growth!, body: publishV3 }), 400, 'invalid_input'],
    ['a hostile asset id with a newline', () => call(served.url, 'POST', `/api/v1/assets/${encodeURIComponent('a\nTessera-Key: forged')}/contracts`, { key: keys.growth!, body: publishV3 }), 400, 'invalid_input'],
    ['a bad URL encoding', () => call(served.url, 'POST', '/api/v1/assets/%E0%A4%A/contracts', { key: keys.growth!, body: publishV3 }), 400, 'invalid_input'],
    ['a hostile proposal id', () => call(served.url, 'POST', `/api/v1/proposals/${encodeURIComponent('p-1;rm -rf')}/acknowledge`, { key: keys.finance!, body: { decision: 'approve' } }), 400, 'invalid_input'],
    ['an ack with an unknown decision', () => call(served.url, 'POST', `/api/v1/proposals/${proposalId}/acknowledge`, { key: keys.finance!, body: { decision: 'maybe' } }), 400, 'invalid_body'],
    ['a breaking publish while a proposal is open (the CLI refusal)', () => call(served.url, 'POST', '/api/v1/assets/users/contracts', { key: keys.growth!, body: { schema: { type: 'object', properties: { created_at: { type: 'string' } } } } }), 409, 'policy'],
    ["a publish to another team's asset", () => call(served.url, 'POST', '/api/v1/assets/users/contracts', { key: keys.finance!, body: { schema: { ...USERS_V1, properties: { ...USERS_V1.properties, country: { type: 'string' } } } } }), 403, 'wrong_team'],
    // 404 by the error's kind (InputError code 'not_found'), not by its wording.
    ['an ack of a proposal that does not exist', () => call(served.url, 'POST', '/api/v1/proposals/p-00000000/acknowledge', { key: keys.finance!, body: { decision: 'approve' } }), 404, 'not_found'],
    ['a registration on an asset that does not exist', () => call(served.url, 'POST', '/api/v1/assets/nope/registrations', { key: keys.finance!, body: {} }), 404, 'not_found'],
    ['a withdraw of a proposal that does not exist', () => call(served.url, 'POST', '/api/v1/proposals/p-00000000/withdraw', { key: keys.growth!, body: {} }), 404, 'not_found'],
    ['a form body', () => call(served.url, 'POST', '/api/v1/assets/orders/contracts', { key: keys.growth!, raw: 'schema=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type'],
  ];
  for (const [name, send, status, code] of cases) {
    it(`${name}: ${status} ${code}`, async () => {
      const before = await refState(registry);
      refused(await send(), status, code);
      expect(await refState(registry)).toBe(before);
    });
  }

  it("an ack with another team's key acts as that key's team, never another: growth is not asked, so the CLI's refusal", async () => {
    const before = await refState(registry);
    const r = await call(served.url, 'POST', `/api/v1/proposals/${proposalId}/acknowledge`, { key: keys.growth!, body: { decision: 'approve' } });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/team 'growth' is not a registered consumer/);
    expect(await refState(registry)).toBe(before);
  });

  it('a read-only key reads', async () => {
    const r = await call(served.url, 'GET', '/api/v1/assets/users', { key: keys.reader! });
    expect(r.status).toBe(200);
    expect(r.body.asset.id).toBe('users');
    const v = await call(served.url, 'GET', '/api/v1/assets/users/contracts/1.0.0', { key: keys.reader! });
    expect([v.status, v.body.version.version]).toEqual([200, '1.0.0']);
    const waiting = await call(served.url, 'GET', '/api/v1/proposals?pending_for=finance', { key: keys.reader! });
    expect(waiting.body.proposals.map((p: { id: string }) => p.id)).toEqual([proposalId]);
    const notWaiting = await call(served.url, 'GET', '/api/v1/proposals?pending_for=growth', { key: keys.reader! });
    expect(notWaiting.body.proposals).toEqual([]);
    refused(await call(served.url, 'GET', `/api/v1/proposals?pending_for=${encodeURIComponent('../x')}`, { key: keys.reader! }), 400, 'invalid_input');
    const none = await call(served.url, 'GET', '/api/v1/assets/nope', { key: keys.reader! });
    refused(none, 404, 'not_found');
  });

  it("the producer's actions: force needs a reason, then publishes over missing acks; withdraw closes a proposal", async () => {
    let before = await refState(registry);
    refused(await call(served.url, 'POST', `/api/v1/proposals/${proposalId}/force`, { key: keys.growth!, body: { reason: ' ' } }), 400, 'invalid_body');
    refused(await call(served.url, 'POST', `/api/v1/proposals/${proposalId}/force`, { key: keys.finance!, body: { reason: 'not mine' } }), 403, 'wrong_team');
    expect(await refState(registry)).toBe(before);
    const forced = await call(served.url, 'POST', `/api/v1/proposals/${proposalId}/force`, { key: keys.growth!, body: { reason: 'finance agreed in INC-42' } });
    expect(forced.status, JSON.stringify(forced.body)).toBe(201);
    expect(forced.body).toMatchObject({ action: 'force_published', version: '2.0.0', forced: { missing_teams: ['finance'], proposal: proposalId } });
    const proposals = await call(served.url, 'GET', '/api/v1/proposals', { key: keys.reader! });
    expect(proposals.body.proposals.find((p: { id: string }) => p.id === proposalId)?.status).toBe('forced');
    // A new breaking change, withdrawn by its producer.
    const next = await call(served.url, 'POST', '/api/v1/assets/users/contracts', { key: keys.growth!, body: { schema: { type: 'object', properties: { created_at: { type: 'string' } } } } });
    expect(next.status).toBe(202);
    before = await refState(registry);
    refused(await call(served.url, 'POST', `/api/v1/proposals/${next.body.proposal.id}/withdraw`, { key: keys.finance!, body: {} }), 403, 'wrong_team');
    expect(await refState(registry)).toBe(before);
    const gone = await call(served.url, 'POST', `/api/v1/proposals/${next.body.proposal.id}/withdraw`, { key: keys.growth!, body: { reason: 'wrong branch' } });
    expect([gone.status, gone.body.action]).toEqual([200, 'withdrawn']);
    refused(await call(served.url, 'POST', `/api/v1/proposals/${next.body.proposal.id}/withdraw`, { key: keys.growth!, body: {} }), 400, 'invalid_input');
  });

  it('the server never logs a key', () => {
    for (const k of Object.values(keys)) {
      // The secret part is base64url, which may itself contain '_': cut by the prefix, not by splitting.
      const secretPart = k.slice(`tsk_${k.split('_')[1]}_`.length);
      expect(secretPart.length).toBeGreaterThan(30);
      expect(served.stderr()).not.toContain(k);
      expect(served.stderr(), served.stderr()).not.toContain(secretPart);
    }
  });
});

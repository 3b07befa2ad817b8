/**
 * The team-wide UI's sessions and CSRF over plain HTTP against the real
 * `tessera serve` (no browser: the requests a hostile page or a stolen
 * cookie would send). Every refusal leaves every ref of the registry as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, refState, writeJson } from '../helpers/machines.js';
import type { Served } from '../serve/harness.js';
import { request } from './http.js';
import { buildTeamScenario, pair, secretOf, setCookie, signIn, startTeamServe, tokenIn, type TeamScenario } from './team-harness.js';

let s: TeamScenario;
let served: Served;

beforeAll(async () => {
  s = await buildTeamScenario();
  served = await startTeamServe(s);
}, 180_000);

afterAll(async () => {
  await served?.stop();
  cleanupTempDirs();
});

const formPost = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  request(served.url, path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });

describe('tessera serve: signing in with a key', () => {
  it('a page without a session is the sign-in form, 401; the API is not under the pages', async () => {
    const r = await request(served.url, '/assets/users');
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toContain('id="signin"');
    expect(r.body).toContain('name="next" value="/assets/users"');
    // Nothing about the registry before a key: not even its path.
    expect(r.body).not.toContain(s.registry);
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(r.headers['x-frame-options']).toBe('DENY');
    // The stylesheet is served without a session (the sign-in page needs it).
    expect((await request(served.url, '/static/tessera.css')).status).toBe(200);
  });

  it('exchanges the key for an opaque HttpOnly, SameSite=Strict session cookie (no Secure over plain HTTP), and the key is nowhere in it', async () => {
    const { reply, cookie } = await signIn(served.url, s.keys.core);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    const set = setCookie(reply, 'tessera_session')!;
    const attrs = set.split(';').map((a) => a.trim());
    expect(attrs).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(attrs).not.toContain('Secure');
    const value = cookie!.split('=')[1]!;
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const keyId = s.keys.core.split('_')[1]!;
    const secret = secretOf(s.keys.core);
    expect(value).not.toContain(keyId);
    expect(value).not.toContain(secret!.slice(0, 10));
    const page = await request(served.url, '/', { headers: { Cookie: cookie! } });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/signed in as team <b id="signed-in-team">core<\/b>/);
    expect(page.body).not.toContain(secret);
  });

  it('marks the cookies Secure when the request came over TLS (X-Forwarded-Proto: https)', async () => {
    const tls = { 'X-Forwarded-Proto': 'https' };
    const form = await request(served.url, '/signin', { headers: tls });
    expect(setCookie(form, 'tessera_signin')).toMatch(/; Secure/);
    const { reply } = await signIn(served.url, s.keys.core, tls);
    expect(setCookie(reply, 'tessera_session')).toMatch(/; HttpOnly; SameSite=Strict; Secure/);
  });

  const refusals: Array<[string, () => string, number, RegExp]> = [
    ['an unknown key', () => 'tsk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 401, /the API key is not valid/],
    ['not a key at all', () => 'hunter2', 401, /the API key is not valid/],
    ['an empty key', () => '', 400, /Paste an API key/],
  ];
  for (const [name, key, status, message] of refusals) {
    it(`refuses ${name}: ${status}, the reason on the sign-in page, no session`, async () => {
      const before = await refState(s.registry);
      const { reply, cookie } = await signIn(served.url, key());
      expect(reply.status).toBe(status);
      expect(cookie).toBeUndefined();
      expect(setCookie(reply, 'tessera_session')).toBeUndefined();
      expect(reply.body).toMatch(message);
      expect(/id="signin-error">([^<]*)</.exec(reply.body)![1]).not.toContain('\n');
      expect(await refState(s.registry)).toBe(before);
    });
  }

  it('refuses a sign-in POST without the sign-in form token (login CSRF) or from another site', async () => {
    const form = await request(served.url, '/signin');
    const signinCookie = pair(setCookie(form, 'tessera_signin')!);
    const noToken = await formPost('/signin', { key: s.keys.core }, { Cookie: signinCookie });
    expect(noToken.status).toBe(403);
    expect(setCookie(noToken, 'tessera_session')).toBeUndefined();
    const noCookie = await formPost('/signin', { key: s.keys.core, token: tokenIn(form.body) });
    expect(noCookie.status).toBe(403);
    expect(setCookie(noCookie, 'tessera_session')).toBeUndefined();
    const crossSite = await formPost('/signin', { key: s.keys.core, token: tokenIn(form.body) }, { Cookie: signinCookie, Origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(setCookie(crossSite, 'tessera_session')).toBeUndefined();
  });

  it('a hostile address gets a 400 page with a one-line reason, still showing who is signed in', async () => {
    const { cookie } = await signIn(served.url, s.keys.teamB);
    for (const p of ['/assets/%E0%A4%A', `/assets/${encodeURIComponent('../../etc/passwd')}`, `/proposals/${encodeURIComponent('p-1;rm -rf')}`, '/publish?asset=..%2Fx']) {
      const r = await request(served.url, p, { headers: { Cookie: cookie! } });
      expect(r.status, p).toBe(400);
      expect(/id="error-message">([^<]*)</.exec(r.body)![1]).not.toContain('\n');
      expect(r.body).toContain('id="signed-in-team">team-b<');
    }
    expect((await request(served.url, '/nothing-here', { headers: { Cookie: cookie! } })).status).toBe(404);
  });

  it('two sign-in forms open in one browser both work (the sign-in nonce is kept)', async () => {
    const first = await request(served.url, '/signin');
    const nonce = pair(setCookie(first, 'tessera_signin')!);
    const second = await request(served.url, '/signin', { headers: { Cookie: nonce } });
    expect(pair(setCookie(second, 'tessera_signin')!)).toBe(nonce);
    const r = await formPost('/signin', { token: tokenIn(first.body), key: s.keys.teamB }, { Cookie: nonce });
    expect(r.status).toBe(303);
  });

  it('a session is not an API key: /api/v1 still needs Authorization (the API has no CSRF token)', async () => {
    const { cookie } = await signIn(served.url, s.keys.core);
    const r = await request(served.url, '/api/v1/assets', { headers: { Cookie: cookie! } });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).error.code).toBe('no_key');
  });
});

describe('tessera serve: CSRF and sessions on every POST', () => {
  it('a POST without a session is refused (401) and changes nothing', async () => {
    const before = await refState(s.registry);
    const r = await formPost(`/proposals/${s.usersProposal}/withdraw`, { reason: 'x' });
    expect(r.status).toBe(401);
    expect(await refState(s.registry)).toBe(before);
  });

  it('a POST without the CSRF token, with a wrong one, or with another session\'s gets 403 and changes nothing', async () => {
    const mine = await signIn(served.url, s.keys.core);
    const other = await signIn(served.url, s.keys.core);
    const before = await refState(s.registry);
    const path = `/proposals/${s.usersProposal}/withdraw`;
    const cookie = { Cookie: mine.cookie! };
    const none = await formPost(path, { reason: 'no token' }, cookie);
    expect([none.status, none.body]).toEqual([403, expect.stringMatching(/form token/)]);
    const wrong = mine.csrf![0] === 'A' ? 'B' + mine.csrf!.slice(1) : 'A' + mine.csrf!.slice(1);
    expect((await formPost(path, { token: wrong }, cookie)).status).toBe(403);
    expect((await formPost(path, { token: other.csrf! }, cookie)).status).toBe(403);
    // The right token from another site is refused too.
    expect((await formPost(path, { token: mine.csrf! }, { ...cookie, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await formPost(path, { token: mine.csrf! }, { ...cookie, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await formPost(path, { token: mine.csrf! }, { ...cookie, Origin: 'null' })).status).toBe(403);
    expect(await refState(s.registry)).toBe(before);
  });

  it('with the session and its token, an action runs as the key: a refusal shows the CLI message on the page', async () => {
    const { cookie, csrf } = await signIn(served.url, s.keys.teamB);
    const before = await refState(s.registry);
    // team-b is not the owner: withdrawing is core's, and the app says so (the CLI's membership refusal for a key).
    const r = await formPost(`/proposals/${s.usersProposal}/withdraw`, { token: csrf! }, { Cookie: cookie!, Origin: served.url });
    expect(r.status).toBe(409);
    expect(r.body).toMatch(/<div class="banner error"[^>]*>key [0-9a-f]{12} acts for team &#39;team-b&#39;, not &#39;core&#39;, and cannot withdraw proposal/);
    expect(await refState(s.registry)).toBe(before);
  });

  it("refusals of the app show the CLI's own one-line message: merging an incomplete proposal, unregistering a team that is not registered", async () => {
    const banner = (body: string) => /<div class="banner error"[^>]*>([^<]*)</.exec(body)?.[1]?.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const core = await signIn(served.url, s.keys.core);
    const before = await refState(s.registry);
    const merge = await formPost(`/proposals/${s.eventsProposal}/merge`, { token: core.csrf! }, { Cookie: core.cookie! });
    expect(merge.status).toBe(409);
    const cliMerge = await s.producer.run(['merge', s.eventsProposal]);
    expect(cliMerge.exitCode).toBe(1);
    expect(banner(merge.body)).toBe(cliMerge.stderr.trim().replace(/^tessera: /, ''));
    const teamB = await signIn(served.url, s.keys.teamB);
    const un = await formPost('/assets/payments/unregister', { token: teamB.csrf! }, { Cookie: teamB.cookie! });
    expect(un.status).toBeGreaterThanOrEqual(400);
    const cliUn = await s.producer.run(['unconsume', 'payments', '--team', 'team-b']);
    expect(cliUn.exitCode).not.toBe(0);
    expect(banner(un.body)).toBe(cliUn.stderr.trim().replace(/^tessera: /, ''));
    expect(await refState(s.registry)).toBe(before);
  });

  it("a read-only key signs in and reads, but its POSTs are refused with the API's scope reason", async () => {
    const { cookie, csrf } = await signIn(served.url, s.keys.coreRead);
    expect((await request(served.url, '/assets/payments', { headers: { Cookie: cookie! } })).status).toBe(200);
    const before = await refState(s.registry);
    const r = await formPost('/assets/payments/register', { token: csrf! }, { Cookie: cookie! });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/has scope read; this request needs write/);
    expect(await refState(s.registry)).toBe(before);
  });

  it('bad input on the publish form: a hostile asset id and an invalid schema show one-line reasons; an oversized or malformed body is refused; nothing is written', async () => {
    const { cookie, csrf } = await signIn(served.url, s.keys.core);
    const before = await refState(s.registry);
    const post = (fields: Record<string, string>) => formPost('/publish/preview', { token: csrf!, ...fields }, { Cookie: cookie! });
    const hostile = await post({ asset: '../../etc/passwd', schema: '{"type":"object"}' });
    expect(hostile.status).toBe(400);
    expect(/id="publish-error">([^<]*)</.exec(hostile.body)![1]).toMatch(/asset id/i);
    const invalid = await post({ asset: 'payments', schema: '{"type": "objekt"}' });
    expect(invalid.status).toBe(400);
    const reason = /id="publish-error">([^<]*)</.exec(invalid.body)![1]!;
    expect(reason).toMatch(/the pasted schema/);
    expect(reason).not.toContain('\n');
    const notJson = await post({ asset: 'payments', schema: '{"type": ' });
    expect(notJson.status).toBe(400);
    const big = await post({ asset: 'payments', schema: JSON.stringify({ type: 'object', description: 'x'.repeat(1024 * 1024 + 10) }) });
    expect(big.status).toBe(413);
    const broken = await request(served.url, '/publish/preview', { method: 'POST', headers: { Cookie: cookie!, 'Content-Type': 'multipart/form-data; boundary=XYZ' }, body: `--XYZ\r\nContent-Disposition: form-data; name="token"\r\n\r\n${csrf}` });
    expect(broken.status).toBe(400);
    const json = await request(served.url, '/publish/preview', { method: 'POST', headers: { Cookie: cookie!, 'Content-Type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    // A confirm without a preview of this session.
    const stray = await formPost('/publish/confirm', { token: csrf!, draft: 'nope' }, { Cookie: cookie! });
    expect(stray.status).toBe(409);
    expect(await refState(s.registry)).toBe(before);
  });

  it('a multipart upload is previewed from the file; nothing is written until the confirm', async () => {
    const { cookie, csrf } = await signIn(served.url, s.keys.core);
    const before = await refState(s.registry);
    const schema = JSON.stringify({ type: 'object', properties: { payment_id: { type: 'integer' }, amount: { type: 'number' }, note: { type: 'string' } }, required: ['payment_id'] });
    const b = 'tesseraBoundary42';
    const part = (name: string, value: string, filename?: string) => `--${b}\r\nContent-Disposition: form-data; name="${name}"${filename !== undefined ? `; filename="${filename}"\r\nContent-Type: application/json` : ''}\r\n\r\n${value}\r\n`;
    const body = part('token', csrf!) + part('asset', 'payments') + part('schema', '') + part('file', schema, 'payments.json') + `--${b}--\r\n`;
    const r = await request(served.url, '/publish/preview', { method: 'POST', headers: { Cookie: cookie!, 'Content-Type': `multipart/form-data; boundary=${b}` }, body });
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/id="verdict" data-action="published"/);
    expect(r.body).toContain('/properties/note');
    expect(await refState(s.registry)).toBe(before);
  });
});

describe('tessera serve: a write through a page is seen at once', () => {
  it('a breaking publish confirmed on the page: the proposal page it redirects to shows the proposal, not a stale listing', async () => {
    // An asset of its own with a consumer (team core reads it too), so that dropping a column opens a proposal.
    const v1 = writeJson(s.root, 'ledger.json', { type: 'object', properties: { entry_id: { type: 'integer' }, amount: { type: 'number' } }, required: ['entry_id'] });
    expect((await s.producer.run(['publish', 'ledger', v1, '--owner', 'core'])).exitCode).toBe(0);
    expect((await s.producer.run(['consume', 'ledger', '--team', 'core'])).exitCode).toBe(0);
    const { cookie, csrf } = await signIn(served.url, s.keys.core);
    // A read first, so the server has a listing of the proposal refs to reuse.
    expect((await request(served.url, '/proposals', { headers: { Cookie: cookie! } })).status).toBe(200);
    const schema = JSON.stringify({ type: 'object', properties: { entry_id: { type: 'integer' } }, required: ['entry_id'] });
    const preview = await formPost('/publish/preview', { token: csrf!, asset: 'ledger', schema }, { Cookie: cookie! });
    expect(preview.status, preview.body.slice(0, 300)).toBe(200);
    const draft = /name="draft" value="([^"]+)"/.exec(preview.body)?.[1];
    expect(draft, 'the preview carries its draft id').toBeDefined();
    const confirmed = await formPost('/publish/confirm', { token: csrf!, draft: draft! }, { Cookie: cookie! });
    expect(confirmed.status).toBe(303);
    const location = String(confirmed.headers.location ?? '');
    expect(location).toMatch(/^\/proposals\/p-[0-9a-f]{8}\?flash=/);
    const page = await request(served.url, location, { headers: { Cookie: cookie! } });
    expect(page.status, page.body.slice(0, 300)).toBe(200);
    expect(page.body).toContain('id="flash"');
  });
});

describe('tessera serve: sessions end', () => {
  it('signing out ends the session server side: the old cookie then gets the sign-in page (401) and cannot act', async () => {
    const { cookie, csrf } = await signIn(served.url, s.keys.teamC);
    const out = await formPost('/signout', { token: csrf! }, { Cookie: cookie! });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/signin');
    expect(setCookie(out, 'tessera_session')).toMatch(/^tessera_session=; .*Max-Age=0/);
    // The browser would drop the cookie; a copy of it is refused as well.
    const again = await request(served.url, '/inbox', { headers: { Cookie: cookie! } });
    expect(again.status).toBe(401);
    expect(again.body).toContain('id="signin"');
    expect(again.body).toMatch(/Your session has ended/);
    const before = await refState(s.registry);
    const act = await formPost('/assets/payments/register', { token: csrf! }, { Cookie: cookie! });
    expect(act.status).toBe(401);
    expect(await refState(s.registry)).toBe(before);
  });

  it('revoking the key ends its sessions on their next request', async () => {
    const extra = (await s.producer.run(['key', 'create', '--team', 'core', '--name', 'short-lived'])).stdout.trim();
    const { cookie } = await signIn(served.url, extra);
    expect((await request(served.url, '/', { headers: { Cookie: cookie! } })).status).toBe(200);
    expect((await s.producer.run(['key', 'revoke', extra.split('_')[1]!])).exitCode).toBe(0);
    const r = await request(served.url, '/', { headers: { Cookie: cookie! } });
    expect(r.status).toBe(401);
    expect(r.body).toMatch(/API key [0-9a-f]{12} was revoked/);
  });

  it('an idle session expires (TESSERA_SERVE_SESSION_IDLE_MS)', async () => {
    const short = await startTeamServe(s, { TESSERA_SERVE_SESSION_IDLE_MS: '1000' });
    try {
      const { cookie } = await signIn(short.url, s.keys.core);
      expect((await request(short.url, '/', { headers: { Cookie: cookie! } })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1500));
      const r = await request(short.url, '/', { headers: { Cookie: cookie! } });
      expect(r.status).toBe(401);
      expect(r.body).toMatch(/Your session has ended/);
    } finally {
      await short.stop();
    }
  });

  it('the server never logs a key or a session id', async () => {
    const { cookie } = await signIn(served.url, s.keys.core);
    const log = served.stderr();
    for (const k of Object.values(s.keys)) expect(log).not.toContain(secretOf(k));
    expect(log).not.toContain(cookie!.split('=')[1]);
  });
});

describe('tessera serve: failed sign-ins', () => {
  it('count against the same per-address limit as the API key checks: past it, a valid key gets 429 too, with Retry-After', async () => {
    // A server of its own: the limit is per server process, and the tests above must not spend it.
    const own = await startTeamServe(s);
    try {
      const wrong = `${s.keys.core.slice(0, -4)}xxxx`;
      // Five wrong keys through the sign-in form, five through the API: ten failures from 127.0.0.1.
      for (let i = 0; i < 5; i++) expect((await signIn(own.url, wrong)).reply.status).toBe(401);
      for (let i = 0; i < 5; i++) expect((await request(own.url, '/api/v1/teams', { headers: { Authorization: `Bearer ${wrong}` } })).status).toBe(401);
      const locked = await signIn(own.url, s.keys.core);
      expect(locked.reply.status).toBe(429);
      expect(locked.reply.headers['retry-after']).toMatch(/^\d+$/);
      expect(locked.reply.body).toMatch(/Too many failed key checks from 127\.0\.0\.1/);
      expect(setCookie(locked.reply, 'tessera_session')).toBeUndefined();
      expect((await request(own.url, '/api/v1/teams', { headers: { Authorization: `Bearer ${s.keys.core}` } })).status).toBe(429);
    } finally {
      await own.stop();
    }
  });
});

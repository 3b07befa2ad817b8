/**
 * The UI's safety over plain HTTP (no browser needed to forge requests):
 * token, origin and Host checks on the real server, hostile ids, and the
 * JSON read API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, refState } from '../helpers/machines.js';
import { buildScenario, startUi, type RunningUi, type Scenario } from './harness.js';
import { form, request } from './http.js';

let s: Scenario;
let ui: RunningUi;
let host: string;

beforeAll(async () => {
  s = await buildScenario();
  ui = await startUi(s.reviewer);
  host = new URL(ui.url).host;
}, 120_000);

afterAll(async () => {
  await ui?.stop();
  cleanupTempDirs();
});

async function tokenFromPage(): Promise<string> {
  const page = await request(ui.url, `/proposals/${s.proposalId}`);
  const m = /name="token" value="([^"]+)"/.exec(page.body);
  if (!m) throw new Error('no token in the proposal page');
  return m[1]!;
}

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  request(ui.url, path, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });

describe('actions need the token, our origin and our Host', () => {
  it('refuses a POST without the token (403) and leaves the registry unchanged', async () => {
    const before = await refState(s.registry);
    const r = await post(`/proposals/${s.proposalId}/ack`, form({ team: 'team-b', decision: 'approve' }));
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/token/);
    expect(await refState(s.registry)).toBe(before);
  });

  it('refuses a wrong token of the same length (403)', async () => {
    const before = await refState(s.registry);
    const good = await tokenFromPage();
    const wrong = (good[0] === 'A' ? 'B' : 'A') + good.slice(1);
    const r = await post(`/proposals/${s.proposalId}/ack`, form({ token: wrong, team: 'team-b', decision: 'approve' }));
    expect(r.status).toBe(403);
    expect(await refState(s.registry)).toBe(before);
  });

  it('refuses a POST from another site even with the token (Origin / Sec-Fetch-Site)', async () => {
    const before = await refState(s.registry);
    const token = await tokenFromPage();
    const body = form({ token, team: 'team-b', decision: 'approve' });
    expect((await post(`/proposals/${s.proposalId}/ack`, body, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(`/proposals/${s.proposalId}/ack`, body, { Origin: 'null' })).status).toBe(403);
    expect((await post(`/proposals/${s.proposalId}/ack`, body, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect(await refState(s.registry)).toBe(before);
  });

  it('answers only to its own Host (DNS rebinding), for pages and the API alike', async () => {
    const port = new URL(ui.url).port;
    for (const h of [`evil.example:${port}`, `attacker.127.0.0.1.nip.io:${port}`, `127.0.0.1:${Number(port) + 1}`]) {
      expect((await request(ui.url, '/', { headers: { Host: h } })).status, h).toBe(403);
      expect((await request(ui.url, '/api/v1/assets', { headers: { Host: h } })).status, h).toBe(403);
    }
    expect((await request(ui.url, '/', { headers: { Host: `localhost:${port}` } })).status).toBe(200);
  });

  it('with the token, from our origin, the POST is performAck: a refusal answers with the CLI message', async () => {
    const before = await refState(s.registry);
    const token = await tokenFromPage();
    // pat is the producer, not a member of team-b: the UI acts as uma, who is. Ask for a team uma is not in.
    const r = await post(`/proposals/${s.proposalId}/ack`, form({ token, team: 'core', decision: 'approve' }), { Origin: `http://${host}` });
    expect(r.status).toBe(409);
    const cli = await s.reviewer.run(['ack', s.proposalId, '--team', 'core']);
    expect(cli.exitCode).toBe(1);
    const message = cli.stderr.trim().replace(/^tessera: /, '');
    expect(message).toMatch(/not a member of team 'core'/);
    const shown = /<div class="banner error"[^>]*>([^<]*)<\/div>/.exec(r.body)?.[1];
    expect(shown).toBe(message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/`/g, '&#96;'));
    expect(await refState(s.registry)).toBe(before);
  });

  it('serves security headers: CSP without inline scripts, no framing, no sniffing', async () => {
    const r = await request(ui.url, '/');
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(r.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body).not.toMatch(/<script>/);
  });
});

describe('hostile ids give 400, never a traceback', () => {
  for (const id of ['..%2F..%2Fetc%2Fpasswd', '.git', 'UPPER', 'a%00b', '%E0%A4%A', 'x'.repeat(300), '%3Cscript%3Ealert(1)%3C%2Fscript%3E']) {
    it(`asset ${id.slice(0, 30)}`, async () => {
      const page = await request(ui.url, `/assets/${id}`);
      expect(page.status).toBe(400);
      expect(page.body).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
      expect(page.body).not.toMatch(/<script>alert/);
      expect(page.body).toMatch(/id="error-message"/);
      const api = await request(ui.url, `/api/v1/assets/${id}`);
      expect(api.status).toBe(400);
      expect(JSON.parse(api.body).error.message).toMatch(/asset id|URL encoding/);
    });
  }
  it('a bad proposal id, version or filter', async () => {
    expect((await request(ui.url, '/proposals/..%2Fx')).status).toBe(400);
    expect((await request(ui.url, '/assets/users?from=1.0&to=2.0.0')).status).toBe(400);
    expect((await request(ui.url, '/assets?owner=Bad%20Team')).status).toBe(400);
    expect((await request(ui.url, '/log?since=not-a-date')).status).toBe(400);
    expect((await request(ui.url, '/assets/nope')).status).toBe(404);
    expect((await request(ui.url, '/proposals/p-00000000')).status).toBe(404);
    expect((await request(ui.url, '/nothing/here')).status).toBe(404);
    expect((await request(ui.url, '/', { method: 'PUT' })).status).toBe(405);
  });
});

describe('JSON read API', () => {
  const get = async (p: string) => {
    const r = await request(ui.url, p);
    expect(r.status, `${p}: ${r.body}`).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    return JSON.parse(r.body);
  };

  it('assets, with filters', async () => {
    expect((await get('/api/v1/assets')).assets.map((a: { id: string }) => a.id)).toEqual(['orders', 'users', 'web.events']);
    const core = await get('/api/v1/assets?owner=core&consumer=team-b');
    expect(core.assets.map((a: { id: string }) => a.id)).toEqual(['users']);
    expect(core.assets[0]).toMatchObject({ owner: 'core', kind: 'model', current_version: '1.0.0', consumers: ['team-b', 'team-c'] });
  });

  it('asset: contract columns, quality, consumers, proposals', async () => {
    const a = await get('/api/v1/assets/users');
    expect(a.asset.id).toBe('users');
    expect(a.columns.map((c: { name: string }) => c.name)).toEqual(['user_id', 'email', 'created_at']);
    expect(a.columns[0].guarantees.map((g: { label: string; quality?: { status: string } }) => `${g.label}:${g.quality?.status}`)).toEqual(['not_null:pass', 'unique:fail']);
    expect(a.consumers.map((c: { team: string }) => c.team)).toEqual(['team-b', 'team-c']);
    expect(a.proposals.map((p: { id: string; status: string }) => `${p.id}:${p.status}`)).toEqual([`${s.proposalId}:open`]);
    expect(a.quality.present).toBe(true);
  });

  it('versions and a diff between two of them', async () => {
    const v = await get('/api/v1/assets/users/versions');
    expect(v.versions.map((x: { version: string }) => x.version)).toEqual(['1.0.0']);
    const d = await get('/api/v1/assets/users/diff?from=1.0.0&to=1.0.0');
    expect(d.diff).toMatchObject({ from: '1.0.0', to: '1.0.0', compatible: true, changes: [] });
    expect((await request(ui.url, '/api/v1/assets/users/diff?from=1.0.0&to=9.9.9')).status).toBe(404);
  });

  it('proposals and one proposal, with every team', async () => {
    const list = await get('/api/v1/proposals?status=open');
    expect(list.proposals.map((p: { id: string }) => p.id)).toEqual([s.proposalId]);
    expect(list.proposals[0]).toMatchObject({ required: ['team-b', 'team-c'], pending: ['team-b', 'team-c'], approved: [] });
    const one = await get(`/api/v1/proposals/${s.proposalId}`);
    expect(one.open).toBe(true);
    expect(one.changes.find((c: { breaking: boolean }) => c.breaking)).toMatchObject({ rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', path: '/properties/email' });
    expect(one.answers.map((a: { team: string; state: string }) => `${a.team}:${a.state}`)).toEqual(['team-b:pending', 'team-c:pending']);
  });

  it('log, with filters; teams', async () => {
    const all = await get('/api/v1/log');
    expect(all.events[all.events.length - 1].event).toBe('registry.initialised');
    const reg = await get('/api/v1/log?event=consumer&asset=users');
    expect(reg.events.map((e: { event: string; actor: string }) => `${e.event} ${e.actor}`).sort()).toEqual(['consumer.registered bea@acme.com', 'consumer.registered uma@acme.com']);
    const teams = await get('/api/v1/teams');
    expect(teams.teams.map((t: { team: { name: string }; owns: string[] }) => `${t.team.name}:${t.owns.join(',')}`)).toEqual(['core:users,web.events', 'team-b:orders', 'team-c:']);
  });
});

describe('the proposal page', () => {
  it('has a Notified section, empty while no channel has been told', async () => {
    const page = await request(ui.url, `/proposals/${s.proposalId}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<h2>Notified <span class="count">0 deliveries<\/span><\/h2>/);
    expect(page.body).toContain('Nobody yet: tessera notify delivers');
  });
});

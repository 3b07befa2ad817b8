/** The session store, cookies and form parsing of the team UI (src/http), with a clock the test moves. */
import { describe, expect, it } from 'vitest';
import { cookie, parseCookies, SessionStore } from '../../src/http/sessions.js';
import { FormError, parseMultipart } from '../../src/http/forms.js';
import { fromThisSite } from '../../src/ui/team/server.js';
import type { IncomingMessage } from 'node:http';

const principal = { keyId: 'abcdefabcdef', team: 'core', scope: 'write' as const };

function store(opts: { idleMs?: number; maxAgeMs?: number; maxSessions?: number } = {}) {
  let now = 1_000_000;
  const s = new SessionStore({ ...opts, clock: () => now });
  return { s, advance: (ms: number) => (now += ms) };
}

describe('SessionStore', () => {
  it('gives an opaque 256-bit id and its own CSRF token, and finds the session by the id only', () => {
    const { s } = store();
    const a = s.create(principal);
    const b = s.create(principal);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.session.csrf).not.toBe(b.session.csrf);
    expect(s.get(a.id)).toBe(a.session);
    expect(s.get(a.id.slice(0, -1) + (a.id.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    expect(s.get(undefined)).toBeUndefined();
    expect(s.csrfValid(a.session, a.session.csrf)).toBe(true);
    expect(s.csrfValid(a.session, b.session.csrf)).toBe(false);
    expect(s.csrfValid(a.session, undefined)).toBe(false);
    expect(s.csrfValid(a.session, '')).toBe(false);
  });

  it('ends an idle session, and any session past its maximum age even when used', () => {
    const idle = store({ idleMs: 1000, maxAgeMs: 10_000 });
    const a = idle.s.create(principal).id;
    idle.advance(900);
    expect(idle.s.get(a)).toBeDefined();
    idle.advance(900);
    expect(idle.s.get(a)).toBeDefined();
    idle.advance(1001);
    expect(idle.s.get(a)).toBeUndefined();
    const old = store({ idleMs: 1000, maxAgeMs: 2500 });
    const b = old.s.create(principal).id;
    for (let i = 0; i < 3; i++) {
      old.advance(800);
      expect(old.s.get(b)).toBeDefined();
    }
    old.advance(800);
    expect(old.s.get(b)).toBeUndefined();
  });

  it('ends one session, every session of a key, and keeps at most maxSessions', () => {
    const { s } = store({ maxSessions: 2 });
    const a = s.create(principal).id;
    const b = s.create({ ...principal, keyId: 'bbbbbbbbbbbb' }).id;
    expect(s.end(a)).toBe(true);
    expect(s.get(a)).toBeUndefined();
    expect(s.end(a)).toBe(false);
    const c = s.create(principal).id;
    const d = s.create(principal).id;
    expect(s.size).toBe(2);
    expect(s.get(b)).toBeUndefined();
    s.endKey(principal.keyId);
    expect([s.get(c), s.get(d)]).toEqual([undefined, undefined]);
  });

  it('keeps a few publish drafts per session, each usable once', () => {
    const { s } = store();
    const { session } = s.create(principal);
    const ids = [1, 2, 3, 4, 5, 6].map((n) => s.putDraft(session, { n }));
    expect(s.takeDraft(session, ids[0])).toBeUndefined();
    expect(s.takeDraft(session, ids[5])).toEqual({ n: 6 });
    expect(s.takeDraft(session, ids[5])).toBeUndefined();
  });

  it('signs the sign-in nonce: a token fits only its own nonce and this process', () => {
    const { s } = store();
    const other = store().s;
    const t = s.signinToken('nonce-1');
    expect(s.signinTokenValid('nonce-1', t)).toBe(true);
    expect(s.signinTokenValid('nonce-2', t)).toBe(false);
    expect(s.signinTokenValid(undefined, t)).toBe(false);
    expect(other.signinTokenValid('nonce-1', t)).toBe(false);
  });
});

describe('cookies', () => {
  it('sets HttpOnly and SameSite=Strict always, Secure only over TLS, Max-Age when asked', () => {
    expect(cookie('a', 'v', false)).toBe('a=v; Path=/; HttpOnly; SameSite=Strict');
    expect(cookie('a', 'v', true, 0)).toBe('a=v; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0');
  });

  it('parses a Cookie header; the first of a repeated name wins', () => {
    const c = parseCookies('x=1; tessera_session=abc; tessera_session=evil; junk');
    expect(c.get('tessera_session')).toBe('abc');
    expect(c.get('x')).toBe('1');
    expect(parseCookies(undefined).size).toBe(0);
  });
});

describe('multipart forms', () => {
  const part = (name: string, value: string, filename?: string) => `--B\r\nContent-Disposition: form-data; name="${name}"${filename !== undefined ? `; filename="${filename}"` : ''}\r\n\r\n${value}\r\n`;

  it('reads fields and files; an empty file input is no file', () => {
    const f = parseMultipart(part('token', 't') + part('schema', '{"a":\r\n1}') + part('file', '', '') + '--B--\r\n', 'B');
    expect(f.fields.get('token')).toBe('t');
    expect(f.fields.get('schema')).toBe('{"a":\r\n1}');
    expect(f.files.size).toBe(0);
    const g = parseMultipart(part('file', '{}', 'x.json') + '--B--\r\n', 'B');
    expect(g.files.get('file')).toEqual({ filename: 'x.json', text: '{}' });
  });

  const bad: Array<[string, string]> = [
    ['no parts', 'hello'],
    ['cut off', `--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue`],
    ['a part without headers', `--B\r\nno headers here\r\n--B--\r\n`],
    ['a part without a name', `--B\r\nContent-Disposition: form-data\r\n\r\nv\r\n--B--\r\n`],
    ['garbage after the boundary', `--Bxx\r\n`],
    ['too many parts', Array.from({ length: 51 }, (_, i) => part(`f${i}`, 'v')).join('') + '--B--\r\n'],
  ];
  for (const [name, body] of bad) {
    it(`refuses ${name} with a one-line 400`, () => {
      let err: unknown;
      try {
        parseMultipart(body, 'B');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FormError);
      expect((err as FormError).status).toBe(400);
      expect((err as FormError).message).not.toContain('\n');
    });
  }
});

describe('fromThisSite', () => {
  const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
  it('accepts no Origin, or one naming the Host or the forwarded host; refuses other sites, null and cross-site fetches', () => {
    expect(fromThisSite(req({ host: 'tessera.acme.com' }))).toBe(true);
    expect(fromThisSite(req({ host: 'tessera.acme.com', origin: 'https://tessera.acme.com' }))).toBe(true);
    expect(fromThisSite(req({ host: '127.0.0.1:8000', origin: 'https://tessera.acme.com', 'x-forwarded-host': 'tessera.acme.com' }))).toBe(true);
    expect(fromThisSite(req({ host: 'tessera.acme.com', origin: 'https://evil.example' }))).toBe(false);
    expect(fromThisSite(req({ host: 'tessera.acme.com', origin: 'null' }))).toBe(false);
    expect(fromThisSite(req({ host: 'tessera.acme.com', origin: 'not a url' }))).toBe(false);
    expect(fromThisSite(req({ host: 'tessera.acme.com', 'sec-fetch-site': 'cross-site' }))).toBe(false);
    expect(fromThisSite(req({ host: 'tessera.acme.com', 'sec-fetch-site': 'same-site' }))).toBe(false);
    expect(fromThisSite(req({ host: 'tessera.acme.com', 'sec-fetch-site': 'same-origin' }))).toBe(true);
  });
});

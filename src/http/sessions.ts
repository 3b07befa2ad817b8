/**
 * Browser sessions of the team-wide UI (`tessera serve`): an API key is
 * exchanged once for an opaque random session id in an HttpOnly,
 * SameSite=Strict cookie. The key itself is never kept: a session holds the
 * key's id, team and scope (what `authenticate` returned), and each request
 * re-reads the key's status so a revocation ends its sessions too.
 *
 * Sessions live in memory (a restart signs everyone out) with an idle and an
 * absolute expiry. The map is keyed by a SHA-256 of the id, so the table
 * holds no value a cookie could be rebuilt from. Each session has its own
 * CSRF token, compared in constant time.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { KeyPrincipal } from '../core/keys.js';

export const SESSION_COOKIE = 'tessera_session';
/** The sign-in form's own cookie: binds the form's token to this browser before there is a session (login CSRF). */
export const SIGNIN_COOKIE = 'tessera_signin';

export interface Session {
  principal: KeyPrincipal;
  csrf: string;
  createdAt: number;
  lastSeen: number;
  /** Publish previews waiting for their confirm step, by draft id (kept server side, bounded). */
  drafts: Map<string, unknown>;
}

export interface SessionOptions {
  /** A session unused this long ends (default 2 hours). */
  idleMs?: number;
  /** A session ends this long after sign-in, used or not (default 12 hours). */
  maxAgeMs?: number;
  /** At most this many live sessions; the oldest goes first (default 10,000). */
  maxSessions?: number;
  clock?: () => number;
}

const DRAFTS_MAX = 5;
const digest = (s: string) => createHash('sha256').update(s).digest();
const hashId = (id: string) => digest(id).toString('base64url');

/** Constant-time equality of two strings of any length (their digests are compared). */
export function sameSecret(candidate: unknown, expected: string): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 200) return false;
  return timingSafeEqual(digest(candidate), digest(expected));
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly idleMs: number;
  private readonly maxAgeMs: number;
  private readonly maxSessions: number;
  private readonly clock: () => number;
  /** Signs the sign-in form's tokens; per process, so a restart invalidates open sign-in forms, which is harmless. */
  private readonly signinSecret = randomBytes(32);

  constructor(options: SessionOptions = {}) {
    this.idleMs = options.idleMs ?? 2 * 3600_000;
    this.maxAgeMs = options.maxAgeMs ?? 12 * 3600_000;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** A new session for a checked key: the cookie value (opaque, 256 random bits) and the session. */
  create(principal: KeyPrincipal): { id: string; session: Session } {
    this.sweep();
    while (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    const now = this.clock();
    const session: Session = { principal: { ...principal }, csrf: randomBytes(32).toString('base64url'), createdAt: now, lastSeen: now, drafts: new Map() };
    this.sessions.set(hashId(id), session);
    return { id, session };
  }

  /** The live session a cookie names, touched; undefined (and forgotten) when it has expired. */
  get(id: string | undefined): Session | undefined {
    if (!id || id.length > 100) return undefined;
    const key = hashId(id);
    const s = this.sessions.get(key);
    if (!s) return undefined;
    const now = this.clock();
    if (now - s.lastSeen > this.idleMs || now - s.createdAt > this.maxAgeMs) {
      this.sessions.delete(key);
      return undefined;
    }
    s.lastSeen = now;
    return s;
  }

  /** Sign out: the session is gone server side, whatever the browser keeps. */
  end(id: string | undefined): boolean {
    return id ? this.sessions.delete(hashId(id)) : false;
  }

  /** End every session of a key (it was revoked or expired). */
  endKey(keyId: string): void {
    for (const [k, s] of this.sessions) if (s.principal.keyId === keyId) this.sessions.delete(k);
  }

  csrfValid(session: Session, candidate: unknown): boolean {
    return sameSecret(candidate, session.csrf);
  }

  /** Keep a publish preview for its confirm step; the oldest of a session's drafts goes first. */
  putDraft(session: Session, draft: unknown): string {
    const id = randomBytes(12).toString('base64url');
    while (session.drafts.size >= DRAFTS_MAX) session.drafts.delete(session.drafts.keys().next().value!);
    session.drafts.set(id, draft);
    return id;
  }

  takeDraft(session: Session, id: string | undefined): unknown {
    if (!id) return undefined;
    const d = session.drafts.get(id);
    session.drafts.delete(id);
    return d;
  }

  /** The sign-in form's token for a browser's sign-in cookie value. */
  signinToken(nonce: string): string {
    return createHmac('sha256', this.signinSecret).update(nonce).digest('base64url');
  }

  signinTokenValid(nonce: string | undefined, candidate: unknown): boolean {
    if (!nonce || nonce.length > 100) return false;
    return sameSecret(candidate, this.signinToken(nonce));
  }

  private sweep(): void {
    const now = this.clock();
    for (const [k, s] of this.sessions) if (now - s.lastSeen > this.idleMs || now - s.createdAt > this.maxAgeMs) this.sessions.delete(k);
  }
}

/** Cookies of a request, by name (the first of a repeated name wins). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

/** Whether the browser reached us over TLS: directly, or through a proxy that says so. */
export function requestIsSecure(req: IncomingMessage): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  const proto = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

/** A Set-Cookie value: HttpOnly and SameSite=Strict always, Secure over TLS; `maxAgeSeconds` 0 deletes it. */
export function cookie(name: string, value: string, secure: boolean, maxAgeSeconds?: number): string {
  return [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : []), ...(maxAgeSeconds !== undefined ? [`Max-Age=${maxAgeSeconds}`] : [])].join('; ');
}

export function newSigninNonce(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The team-wide web UI: the pages of `tessera ui`, served by `tessera serve`
 * to everyone who has an API key. A person signs in with their team's key
 * and gets a session cookie (src/http/sessions.ts); every page then acts as
 * that key, through the same app/ workflows as the CLI and the API.
 *
 * The guards differ from `tessera ui`'s: the server is meant to be reached
 * by name (behind a proxy), so there is no Host check; instead every page
 * needs a session, every POST needs the session's CSRF token and must come
 * from this site (Origin / Sec-Fetch-Site), and a session ends when its key
 * is revoked or expires.
 */
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../../app/context.js';
import { keyEmail, keyStatus, type KeyPrincipal } from '../../core/keys.js';
import { KEYS_DIR, MAIN_REF } from '../../core/paths.js';
import { TesseraError } from '../../core/errors.js';
import { readKey } from '../../registry/keys.js';
import { cookie, newSigninNonce, parseCookies, requestIsSecure, SESSION_COOKIE, SessionStore, SIGNIN_COOKIE, type Session } from '../../http/sessions.js';
import { FormError, readForm, type FormBody } from '../../http/forms.js';
import { scopeRefusal } from '../../http/scope.js';
import type { PageHandler, TeamPagesFactory, TeamPagesHost } from '../../http/team-pages.js';
import { redirect, type Reply } from '../../http/reply.js';
import { CSS } from '../static/css.js';
import { JS } from '../static/js.js';
import { SECURITY_HEADERS } from '../http/security.js';
import { Pages, type Viewer } from '../http/pages.js';
import { signinPage } from '../views/team.js';
import { layout } from '../views/layout.js';
import { TeamActions } from './actions.js';

/** Large enough for a big schema pasted or uploaded (the API's default body limit). */
const MAX_FORM = 1024 * 1024;

export interface TeamPagesOptions {
  registryLabel: string;
  idleMs?: number;
  maxAgeMs?: number;
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...SECURITY_HEADERS, ...reply.headers, ...headers } };
}

/** A relative path on this site to return to after sign-in; anything else (another host, a scheme) is dropped. */
function safeNext(raw: string | undefined | null): string {
  if (!raw || raw.length > 500 || !/^\/(?![/\\])/.test(raw) || raw.startsWith('/signin') || /[\r\n]/.test(raw)) return '/';
  return raw;
}

/** A POST must come from one of this site's pages: Origin (when sent) names the host the request was sent to. */
export function fromThisSite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  const forwarded = req.headers['x-forwarded-host'];
  const names = [req.headers.host, ...(Array.isArray(forwarded) ? forwarded : forwarded ? forwarded.split(',') : [])].filter((h): h is string => Boolean(h)).map((h) => h.trim().toLowerCase());
  return names.includes(host);
}

export function teamPages(options: TeamPagesOptions): TeamPagesFactory {
  return (host: TeamPagesHost): PageHandler => new TeamUi(host, options).handler();
}

class TeamUi {
  private readonly sessions: SessionStore;
  private readonly pages: Pages;
  private readonly actions: TeamActions;
  private readonly routes: ReturnType<Pages['routes']>;

  constructor(
    private readonly host: TeamPagesHost,
    options: TeamPagesOptions,
  ) {
    this.sessions = new SessionStore({ ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}), ...(options.maxAgeMs !== undefined ? { maxAgeMs: options.maxAgeMs } : {}) });
    this.pages = new Pages(host.src, options.registryLabel);
    this.actions = new TeamActions(this.pages, host.src, this.sessions);
    this.pages.slots = this.actions.slots();
    this.routes = [...this.pages.routes(), ...this.actions.routes()];
  }

  handler(): PageHandler {
    return async (req, url) => {
      const secure = requestIsSecure(req);
      // Set once the session is known, so an error page still shows who is signed in.
      const seen: { viewer?: Viewer } = {};
      try {
        return withHeaders(await this.handle(req, url, secure, seen), {});
      } catch (e) {
        if (e instanceof FormError) return withHeaders({ status: e.status, type: 'text', body: e.message + '\n' }, {});
        const known = e instanceof TesseraError;
        const status = known ? (e.exitCode === 3 ? 503 : 400) : 500;
        const message = known ? e.oneLine() : 'internal error (see the server log)';
        // Never the request's headers or body: they carry the session cookie or a key.
        if (!known) this.host.log(`tessera serve: ${req.method} ${url.pathname}: ${(e as Error)?.stack ?? String(e)}`);
        return withHeaders(await this.pages.error(seen.viewer ?? this.anonymous(), status, message).catch(() => ({ status, type: 'text' as const, body: message + '\n' })), {});
      }
    };
  }

  /** The viewer of a page nobody has signed in to: no identity, no forms. */
  private anonymous(): Viewer {
    return { token: '', ctx: this.host.ctx, problem: 'not signed in', signedOut: true };
  }

  private viewerOf(session: Session): Viewer {
    const p = session.principal;
    const ctx: AppContext = { ...this.host.ctx, identity: async () => this.host.identityOf(p) };
    return { email: keyEmail(p.keyId, p.team), token: session.csrf, ctx, key: { keyId: p.keyId, team: p.team, scope: p.scope, ...(p.name !== undefined ? { name: p.name } : {}) } };
  }

  /** The session a request's cookie names, if it is live and its key still is (revoked or expired keys end their sessions). */
  private async session(req: IncomingMessage): Promise<{ session?: Session; ended?: string }> {
    const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    const session = this.sessions.get(id);
    if (!session) return id ? { ended: 'Your session has ended; sign in again.' } : {};
    const p = session.principal;
    const key = await readKey(await this.host.ctx.repo.snapshot(MAIN_REF, [KEYS_DIR]), p.keyId).catch(() => undefined);
    const status = key ? keyStatus(key, this.host.ctx.now()) : 'revoked';
    if (status !== 'active') {
      this.sessions.endKey(p.keyId);
      return { ended: `API key ${p.keyId} ${status === 'expired' ? 'has expired' : 'was revoked'}; sign in with another key of team ${p.team}.` };
    }
    return { session };
  }

  private signin(req: IncomingMessage, secure: boolean, status: number, next?: string, message?: string, extraHeaders: Record<string, string> = {}): Reply {
    // The browser's nonce is kept while it lasts, so two open sign-in tabs both work.
    const held = parseCookies(req.headers.cookie).get(SIGNIN_COOKIE);
    const nonce = held && /^[A-Za-z0-9_-]{24}$/.test(held) ? held : newSigninNonce();
    const body = signinPage({ token: this.sessions.signinToken(nonce), ...(next && next !== '/' ? { next } : {}), ...(message ? { message } : {}) });
    return {
      status,
      type: 'html',
      // Nothing about the registry (not even where it is) before a key is shown.
      body: layout({ title: 'Sign in', nav: 'signin', registry: '', signedOut: true }, body),
      headers: { 'Set-Cookie': cookie(SIGNIN_COOKIE, nonce, secure, 3600), ...extraHeaders },
    };
  }

  private async handle(req: IncomingMessage, url: URL, secure: boolean, seen: { viewer?: Viewer }): Promise<Reply> {
    const path = url.pathname;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (method === 'GET' && path === '/static/tessera.css') return { status: 200, type: 'css', body: CSS, headers: { 'Cache-Control': 'public, max-age=300' } };
    if (method === 'GET' && path === '/static/tessera.js') return { status: 200, type: 'js', body: JS, headers: { 'Cache-Control': 'public, max-age=300' } };
    if (method === 'GET' && path === '/favicon.ico') return { status: 204, type: 'text', body: '' };
    if (method !== 'GET' && method !== 'POST') return { status: 405, type: 'text', body: 'method not allowed\n', headers: { Allow: 'GET, HEAD, POST' } };

    await this.host.src.refresh();
    const { session, ended } = await this.session(req);

    if (path === '/signin') {
      if (method === 'GET') return session ? redirect(safeNext(url.searchParams.get('next'))) : this.signin(req, secure, 200, safeNext(url.searchParams.get('next')));
      return this.signinPost(req, secure);
    }
    if (!session) {
      if (method === 'POST') req.resume();
      return this.signin(req, secure, 401, method === 'GET' ? safeNext(path + url.search) : undefined, ended);
    }
    const viewer = this.viewerOf(session);
    seen.viewer = viewer;
    if (method === 'GET') {
      for (const [re, h] of this.routes) {
        const m = re.exec(path);
        if (m) return h(m, url.searchParams, viewer);
      }
      return this.pages.error(viewer, 404, `nothing at ${path}`);
    }

    // A POST: from our pages, with this session's token.
    if (!fromThisSite(req)) {
      req.resume();
      return { status: 403, type: 'text', body: 'forbidden: the request did not come from this site\n' };
    }
    const form = await readForm(req, MAX_FORM);
    if (!this.sessions.csrfValid(session, form.fields.get('token'))) return { status: 403, type: 'text', body: 'forbidden: missing or wrong form token; reload the page and try again\n' };
    if (path === '/signout') {
      this.sessions.end(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
      return { ...redirect('/signin'), headers: { Location: '/signin', 'Set-Cookie': cookie(SESSION_COOKIE, '', secure, 0) } };
    }
    if (this.host.draining()) return this.pages.error(viewer, 503, 'the server is shutting down; retry against the restarted server');
    const scoped = scopeRefusal(session.principal, 'write');
    if (scoped) return this.pages.error(viewer, 403, `${scoped.message} (${scoped.fix})`);
    return this.post(viewer, session, path, form);
  }

  private async post(viewer: Viewer, session: Session, path: string, form: FormBody): Promise<Reply> {
    const handled = await this.actions.post(viewer, session, path, form);
    return handled ?? this.pages.error(viewer, 404, `no such action: ${path}`);
  }

  /** A key for a session: checked as the API checks it; the key is neither kept nor logged. */
  private async signinPost(req: IncomingMessage, secure: boolean): Promise<Reply> {
    if (!fromThisSite(req)) {
      req.resume();
      return { status: 403, type: 'text', body: 'forbidden: the request did not come from this site\n' };
    }
    const form = await readForm(req, 16 * 1024);
    const next = safeNext(form.fields.get('next'));
    if (!this.sessions.signinTokenValid(parseCookies(req.headers.cookie).get(SIGNIN_COOKIE), form.fields.get('token'))) {
      return this.signin(req, secure, 403, next, 'The sign-in form has expired or did not come from this site; sign in again.');
    }
    const key = (form.fields.get('key') ?? '').trim();
    if (!key) return this.signin(req, secure, 400, next, 'Paste an API key: tessera key create --team <team> prints one.');
    const address = req.socket.remoteAddress ?? '';
    const wait = this.host.failures.retryAfter(address);
    if (wait !== undefined) return this.signin(req, secure, 429, next, `Too many failed key checks from ${address}; wait ${wait} s, then sign in with a valid key.`, { 'Retry-After': String(wait) });
    const who = await this.host.authenticate(`Bearer ${key}`, this.host.ctx.now());
    if ('status' in who) {
      this.host.failures.fail(address);
      return this.signin(req, secure, who.status, next, `${who.message} (${who.fix})`);
    }
    // A new id on every sign-in (no fixation); the session this browser had, if any, ends.
    this.sessions.end(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
    return this.start(who, next, secure);
  }

  private start(principal: KeyPrincipal, next: string, secure: boolean): Reply {
    const { id } = this.sessions.create(principal);
    return { status: 303, type: 'text', body: `See ${next}\n`, headers: { Location: next, 'Set-Cookie': cookie(SESSION_COOKIE, id, secure) } };
  }
}

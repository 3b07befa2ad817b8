/**
 * `tessera serve`: the REST API over one registry for a whole organisation.
 * Plain node:http, like `tessera ui`: the route table is small and declared
 * once (routes.ts), bodies are validated with zod as every other input is,
 * and a framework would add start-up and dependency weight without a feature
 * this server needs. Every /api/v1 request is authenticated by its API key;
 * a request acts as the key's team through the same app/ workflows as the CLI.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AppContext } from '../app/context.js';
import { PolicyError } from '../core/errors.js';
import { RegistrySource } from '../http/data/source.js';
import { apiRoutes } from '../http/api.js';
import { errorReply, HttpError, replyForError } from '../http/errors.js';
import { CONTENT_TYPES, json, type Reply } from '../http/reply.js';
import { isRefusal, scopeRefusal, type KeyAuth } from './auth.js';
import type { KeyPrincipal } from '../core/keys.js';
import { matchRoute } from './routes.js';
import { baseUrl, readBody } from '../http/listen.js';
import { openApiDocument } from './openapi.js';
import type { PageHandler, TeamPagesFactory } from '../http/team-pages.js';
import { DEFAULT_MAX_MANIFEST_BODY } from './sync-dbt.js';
import { FailureThrottle, type ThrottleOptions } from './throttle.js';
import { GroupCommitter } from './group-commit.js';
import { ReadCache } from './read-cache.js';
import { registryKeyAuth } from './keys.js';
import { BackgroundNotifier } from '../http/inline-notify.js';

/** Large enough for a big contract with guarantees; a manifest upload (sync/dbt) has its own limit. */
export const DEFAULT_MAX_BODY = 1024 * 1024;

export interface ServeOptions {
  ctx: AppContext;
  /** Default: the registry's keys, read through the server's read cache. */
  auth?: KeyAuth;
  host: string;
  port: number;
  maxBodyBytes?: number;
  /** The body limit of POST /sync/dbt (default DEFAULT_MAX_MANIFEST_BODY). */
  maxManifestBytes?: number;
  /** Minimum time between fetches of a remote registry for reads. */
  fetchIntervalMs?: number;
  log?: (line: string) => void;
  /** The team-wide web UI (src/ui/team), passed in by the command: this adapter does not import another. */
  pages?: TeamPagesFactory;
  /** How long reads may reuse a listing of proposal and ack refs when main has not moved (read-cache.ts; default 1000). */
  refsTtlMs?: number;
  /** Concurrent writes to different assets share commits-and-push (group-commit.ts); default on. */
  groupCommit?: boolean;
  /** Failed key checks allowed per client address and window (default 10 a minute). */
  throttle?: ThrottleOptions;
}

export interface ApiServer {
  url: string;
  port: number;
  /** Stop accepting, let in-flight requests (writes included) finish, then close. */
  close(): Promise<void>;
}

const tooLarge = (max: number, manifest: boolean) =>
  new HttpError(413, 'body_too_large', `the request body is larger than ${max} bytes`, manifest ? 'restart the server with a larger --max-manifest-body, or sync with the CLI' : 'send a smaller body (one contract per request)');

function parseJson(text: string, contentType: string | undefined): unknown {
  if (text.trim() === '') return undefined;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type && type !== 'application/json') throw new HttpError(415, 'unsupported_media_type', `the body is ${type}, not JSON`, 'send Content-Type: application/json');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'malformed_json', `the body is not valid JSON: ${(e as Error).message}`, 'send a JSON object');
  }
}

export async function startApiServer(options: ServeOptions): Promise<ApiServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const maxManifest = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BODY;
  const cache = new ReadCache(options.ctx.repo, options.refsTtlMs !== undefined ? { refsTtlMs: options.refsTtlMs } : {});
  const readCtx: AppContext = { ...options.ctx, repo: cache.view() };
  const src = new RegistrySource(readCtx, { fetchIntervalMs: options.fetchIntervalMs ?? 5000 });
  const auth = options.auth ?? registryKeyAuth(readCtx);
  const reads = apiRoutes(src);
  const server = http.createServer();
  let ready = false;
  let draining = false;

  const throttle = new FailureThrottle(options.throttle);
  const pages = mountPages(options, auth, throttle, src, () => draining, log);
  // Each write's events go to the channels usable here, after the response (the CLI's inline delivery, for a server).
  const notifier = new BackgroundNotifier(options.ctx, log);
  const group = options.groupCommit === false ? undefined : new GroupCommitter(options.ctx.repo);

  /** A request's AppContext: acting as its key, writing through the group committer. */
  function requestContext(who: KeyPrincipal): AppContext {
    return { ...options.ctx, ...(group ? { repo: group.view() } : {}), identity: async () => auth.identityOf(who) };
  }

  /** The request's principal, or the refusal to answer: a client address with too many failed checks is refused before its key is checked. */
  async function authenticate(req: IncomingMessage, now: Date): Promise<KeyPrincipal | { reply: Reply }> {
    const address = req.socket.remoteAddress ?? '';
    const wait = throttle.retryAfter(address);
    if (wait !== undefined) return { reply: errorReply(429, 'too_many_failures', `too many failed key checks from ${address}`, `wait ${wait} s, then retry with a valid key (tessera key list)`, { 'Retry-After': String(wait) }) };
    const who = await auth.authenticate(req.headers.authorization, now);
    if (!isRefusal(who)) return who;
    // No key at all costs no hash and guesses nothing.
    if (who.code !== 'no_key') throttle.fail(address);
    return { reply: errorReply(who.status, who.code, who.message, who.fix, who.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="tessera"' } : undefined) };
  }

  async function api(req: IncomingMessage, path: string, url: URL): Promise<Reply> {
    if (path === '/api/v1/openapi.json' && req.method === 'GET') return json(openApiDocument());
    const found = matchRoute(req.method ?? 'GET', path);
    if (!found) throw new HttpError(404, 'no_route', `no API route ${path}`, 'see /api/v1/openapi.json for the routes');
    if ('allowed' in found) return errorReply(405, 'method_not_allowed', `${req.method} is not allowed on ${path}`, `use ${found.allowed.join(' or ')}`, { Allow: found.allowed.join(', ') });
    const { route, params } = found;
    const now = options.ctx.now();
    await src.refresh();
    const who = await authenticate(req, now);
    if ('reply' in who) return who.reply;
    const scoped = scopeRefusal(who, route.scope);
    if (scoped) return errorReply(scoped.status, scoped.code, scoped.message, scoped.fix);
    if (route.method !== 'GET' && draining) throw new HttpError(503, 'shutting_down', 'the server is shutting down', 'retry against the restarted server');
    const limit = route.bodyLimit === 'manifest' ? maxManifest : maxBody;
    const body = route.method === 'GET' ? undefined : parseJson(await readBody(req, limit, () => tooLarge(limit, route.bodyLimit === 'manifest')), req.headers['content-type']);
    const ctx = requestContext(who);
    const handled = route.handle({ params, query: url.searchParams, body, ctx, principal: who });
    if (handled !== 'shared-read') {
      // Whatever it wrote, later reads list the refs again (main's own moves are seen per request).
      void handled.finally(() => cache.invalidate()).catch(() => undefined);
      void handled.then((r) => r.status < 400 && notifier.kick(now)).catch(() => undefined);
      return handled.catch((e: unknown) => {
        // The app's membership refusal of a key acting outside its team is, over HTTP, the 403.
        if (e instanceof PolicyError && e.message.startsWith(`key ${who.keyId} acts for team `)) return errorReply(403, 'wrong_team', e.message, e.hint ?? '');
        throw e;
      });
    }
    for (const [re, h] of reads) {
      const m = re.exec(path);
      if (m) return h(m, url.searchParams);
    }
    throw new Error(`route ${route.path} has no shared read`);
  }

  async function handle(req: IncomingMessage): Promise<Reply> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://serve.invalid');
    } catch {
      return errorReply(400, 'bad_request', 'the request target is not a valid URL', 'check the address');
    }
    const path = url.pathname;
    try {
      if (path === '/healthz') return json({ status: 'ok' });
      if (path === '/readyz') return ready && !draining ? json({ status: 'ready' }) : errorReply(503, 'not_ready', draining ? 'the server is shutting down' : 'the registry is still being read', 'retry shortly');
      if (path.startsWith('/api/')) return await api(req, path, url);
      if (pages) {
        const began = options.ctx.now();
        const reply = await pages(req, url);
        // A page's POST may have written (an ack, a publish, ...): later reads list the refs again, as after
        // an API write, and its events are delivered as the API's are.
        if (req.method === 'POST') cache.invalidate();
        if (req.method === 'POST' && reply.status < 400) notifier.kick(began);
        return reply;
      }
      throw new HttpError(404, 'no_route', `nothing at ${path}`, 'the API is under /api/v1; see /api/v1/openapi.json');
    } catch (e) {
      const reply = replyForError(e);
      if (reply) return reply;
      // Never the request's headers: they carry the key.
      log(`tessera serve: ${req.method} ${path}: ${(e as Error)?.stack ?? String(e)}`);
      return errorReply(500, 'internal', 'internal error (see the server log)', 'retry; report it if it persists');
    }
  }

  const inflight = new Set<Promise<void>>();
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const done = handle(req)
      .then((reply) => send(res, reply))
      .catch((e) => {
        log(`tessera serve: ${(e as Error)?.stack ?? String(e)}`);
        if (!res.headersSent) send(res, errorReply(500, 'internal', 'internal error', 'retry'));
        else res.end();
      })
      .finally(() => inflight.delete(done));
    inflight.add(done);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  src
    .index()
    .then(() => (ready = true))
    .catch((e) => log(`tessera serve: could not read the registry: ${(e as Error).message}`));
  const addr = server.address() as AddressInfo;
  return {
    url: baseUrl(addr),
    port: addr.port,
    close: async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.allSettled([...inflight]);
      await notifier.idle();
      server.closeAllConnections();
      // closeAllConnections misses a socket that is open but has not sent a request yet; it would hold the process.
      for (const socket of sockets) socket.destroy();
      // The listening handle is closed already; its 'close' event can lag a destroyed socket, and nothing is left to wait for.
      void closed;
    },
  };
}

/** The pages share the server's registry source and key check; they answer every path outside /api and the health checks. */
function mountPages(options: ServeOptions, auth: KeyAuth, failures: FailureThrottle, src: RegistrySource, draining: () => boolean, log: (line: string) => void): PageHandler | undefined {
  return options.pages?.({ ctx: options.ctx, src, authenticate: auth.authenticate, identityOf: auth.identityOf, failures, draining, log });
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { 'Content-Type': CONTENT_TYPES[reply.type], 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...reply.headers });
  res.end(reply.body);
}

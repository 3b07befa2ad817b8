/**
 * `tessera ui`'s HTTP server: plain node:http. Every request passes the
 * Host check; GETs refresh the registry clone (throttled) and render; the
 * one POST (ack) must also pass the origin check and carry the token.
 */
import { BackgroundNotifier } from '../../http/inline-notify.js';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppContext } from '../../app/context.js';
import { TesseraError } from '../../core/errors.js';
import { RegistrySource } from '../../http/data/source.js';
import { CSS } from '../static/css.js';
import { JS } from '../static/js.js';
import { Guard, SECURITY_HEADERS } from './security.js';
import { Pages, type Viewer } from './pages.js';
import { apiRoutes } from '../../http/api.js';
import { CONTENT_TYPES, type Reply } from '../../http/reply.js';
import { errorReply, replyForError } from '../../http/errors.js';
import { baseUrl, readBody } from '../../http/listen.js';

const MAX_BODY = 16 * 1024;

export interface UiServerOptions {
  ctx: AppContext;
  host: string;
  port: number;
  /** Shown in the footer: the registry's path or URL. */
  registryLabel: string;
  /** Minimum time between fetches of a shared registry (default 5 s). */
  fetchIntervalMs?: number;
  /** Parse the registry in the background at start (default true). */
  prewarm?: boolean;
  /** Where to report unexpected errors (default stderr). */
  log?: (line: string) => void;
}

export interface UiServer {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[reply.type],
    'Cache-Control': reply.type === 'css' || reply.type === 'js' ? 'public, max-age=300' : 'no-store',
    ...reply.headers,
  };
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const src = new RegistrySource(options.ctx, { fetchIntervalMs: options.fetchIntervalMs ?? 5000 });
  const server = http.createServer();
  let guard: Guard | undefined;
  let pages: Pages | undefined;
  let routes: { page: ReturnType<Pages['routes']>; api: ReturnType<typeof apiRoutes> } | undefined;
  // Writes go one at a time: the ack workflow already retries races, this keeps the UI's own clicks orderly.
  let writes: Promise<unknown> = Promise.resolve();
  const notifier = new BackgroundNotifier(options.ctx, log);

  // One person on their own machine: every request is that person, acting as the local git identity.
  async function localViewer(): Promise<Viewer> {
    return { ...(await src.actorEmail()), token: guard!.token, ctx: options.ctx };
  }

  async function handle(req: IncomingMessage): Promise<Reply> {
    const g = guard!;
    const p = pages!;
    if (!g.hostAllowed(req.headers.host)) return { status: 403, type: 'text', body: 'forbidden: this server only answers to the address it is bound to\n' };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://ui.invalid');
    } catch {
      return { status: 400, type: 'text', body: 'bad request\n' };
    }
    const path = url.pathname;
    const isApi = path.startsWith('/api/');
    try {
      if (req.method === 'POST') {
        const m = /^\/proposals\/([^/]+)\/ack$/.exec(path);
        if (!m) throw new HttpError(404, 'no such action');
        if (!g.sameOrigin(req)) throw new HttpError(403, 'forbidden: the request did not come from this UI');
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/x-www-form-urlencoded') throw new HttpError(415, 'send the form as application/x-www-form-urlencoded');
        const form = new URLSearchParams(await readBody(req, MAX_BODY, () => new HttpError(413, 'request body too large')));
        if (!g.tokenValid(form.get('token') ?? undefined)) throw new HttpError(403, 'forbidden: missing or wrong form token; reload the page and try again');
        const viewer = await localViewer();
        const began = options.ctx.now();
        const run = writes.then(() => p.ack(viewer, m[1]!, new Map(form)));
        writes = run.catch(() => undefined);
        const reply = await run;
        // The ack's events go to the channels usable here, as a CLI ack's would (after the response).
        if (reply.status < 400) notifier.kick(began);
        return reply;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method not allowed');
      if (path === '/static/tessera.css') return { status: 200, type: 'css', body: CSS };
      if (path === '/static/tessera.js') return { status: 200, type: 'js', body: JS };
      if (path === '/favicon.ico') return { status: 204, type: 'text', body: '' };
      await src.refresh();
      if (isApi) {
        for (const [re, h] of routes!.api) {
          const m = re.exec(path);
          if (m) return await h(m, url.searchParams);
        }
      } else {
        const viewer = await localViewer();
        for (const [re, h] of routes!.page) {
          const m = re.exec(path);
          if (m) return await h(m, url.searchParams, viewer);
        }
      }
      throw new HttpError(404, `nothing at ${path}`);
    } catch (e) {
      const status = e instanceof HttpError ? e.status : e instanceof TesseraError ? (e.exitCode === 3 ? 503 : 400) : 500;
      const message = e instanceof HttpError ? e.message : e instanceof TesseraError ? e.oneLine() : 'internal error (see the server log)';
      if (status === 500) log(`tessera ui: ${req.method} ${path}: ${(e as Error)?.stack ?? String(e)}`);
      if (isApi) return (e instanceof TesseraError ? replyForError(e) : undefined) ?? errorReply(status, status === 500 ? 'internal' : 'bad_request', message, '');
      if (status === 403 || status === 405 || status === 413 || status === 415) return { status, type: 'text', body: message + '\n' };
      return localViewer().then((v) => p.error(v, status, message)).catch(() => ({ status, type: 'text', body: message + '\n' }));
    }
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req)
      .then((reply) => send(res, req.method === 'HEAD' ? { ...reply, body: '' } : reply))
      .catch((e) => {
        log(`tessera ui: ${(e as Error)?.stack ?? String(e)}`);
        if (!res.headersSent) send(res, { status: 500, type: 'text', body: 'internal error\n' });
        else res.end();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  guard = new Guard(options.host, addr.port);
  pages = new Pages(src, options.registryLabel);
  routes = { page: pages.routes(), api: apiRoutes(src) };
  if (options.prewarm !== false) src.prewarm();
  return {
    url: `${baseUrl(addr)}/`,
    port: addr.port,
    host: options.host,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // A delivery under way finishes (each within its timeout) or stays pending for tessera notify.
      await notifier.idle();
    },
  };
}

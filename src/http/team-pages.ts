/**
 * The contract between `tessera serve` (src/serve) and the team-wide pages
 * (src/ui/team): neither adapter imports the other, so the server hands the
 * pages what they need through this interface, and `tessera serve`'s command
 * (the wiring point) passes the pages' factory to the server.
 */
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../app/context.js';
import type { KeyPrincipal, KeyRefusal } from '../core/keys.js';
import type { Identity } from '../registry/commit-writer.js';
import type { RegistrySource } from './data/source.js';
import type { Reply } from './reply.js';

export interface TeamPagesHost {
  ctx: AppContext;
  /** The server's registry source: one fetch throttle and one set of caches for the API and the pages. */
  src: RegistrySource;
  /** The server's key check, given an `Authorization` header value. */
  authenticate: (authorization: string | undefined, now: Date) => Promise<KeyPrincipal | KeyRefusal>;
  /** The identity a key's writes carry. */
  identityOf: (p: KeyPrincipal) => Identity;
  /**
   * The server's failed-key-check limit per client address, shared with the
   * API's, so a sign-in form is no way around it.
   */
  failures: { retryAfter(address: string): number | undefined; fail(address: string): void };
  /** True once the server is shutting down: writes are refused. */
  draining: () => boolean;
  log: (line: string) => void;
}

/** Answers every request outside /api and the health checks. */
export type PageHandler = (req: IncomingMessage, url: URL) => Promise<Reply>;

export type TeamPagesFactory = (host: TeamPagesHost) => PageHandler;

/**
 * How a request's `Authorization` header becomes a principal. The key
 * check itself (scrypt, constant time) is the registry's; this only turns
 * its answer into the server's terms and decides the scope a route needs.
 */
import type { KeyPrincipal, KeyRefusal } from '../core/keys.js';
import type { Identity } from '../registry/commit-writer.js';

export type Authenticate = (authorization: string | undefined, now: Date) => Promise<KeyPrincipal | KeyRefusal>;

export interface KeyAuth {
  authenticate: Authenticate;
  /** The identity a key's writes carry (its commits' author and Tessera-Key trailer). */
  identityOf: (p: KeyPrincipal) => Identity;
}

export function isRefusal(r: KeyPrincipal | KeyRefusal): r is KeyRefusal {
  return 'status' in r;
}

export { scopeRefusal } from '../http/scope.js';

/**
 * How a request's `Authorization` header becomes a principal. The key
 * check itself (scrypt, constant time) is the registry's; this only turns
 * its answer into the server's terms and decides the scope a route needs.
 */
import type { KeyPrincipal, KeyRefusal, KeyScope } from '../core/keys.js';
import { scopeAllows } from '../core/keys.js';
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

export function scopeRefusal(p: KeyPrincipal, needed: KeyScope): KeyRefusal | undefined {
  if (scopeAllows(p.scope, needed)) return undefined;
  return {
    status: 403,
    code: 'insufficient_scope',
    message: `key ${p.keyId} of team ${p.team} has scope ${p.scope}; this request needs ${needed}`,
    fix: `use a key with scope ${needed}: tessera key create --team ${p.team} --scope ${needed}`,
  };
}

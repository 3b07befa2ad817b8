/**
 * API keys for `tessera serve` (issue 15): the shapes shared by the key
 * workflows (app/keys.ts, the registry's keys/ files) and the server's
 * authentication. A key acts as one team with one scope; the registry keeps
 * only a salted hash of its secret.
 */
export const KEY_SCOPES = ['read', 'write', 'admin'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** What a request is allowed to do once its key is checked. */
export interface KeyPrincipal {
  /** The key's id (public; goes in the `Tessera-Key` trailer). */
  keyId: string;
  team: string;
  scope: KeyScope;
  name?: string;
}

/** Why a key was not accepted: 401 for no/unknown/revoked/expired keys, 403 for a scope or team that does not allow the action. */
export interface KeyRefusal {
  status: 401 | 403;
  code: 'no_key' | 'unknown_key' | 'revoked_key' | 'expired_key' | 'insufficient_scope' | 'wrong_team';
  message: string;
  fix: string;
}

/** Whether a scope allows an action: read < write < admin. */
export function scopeAllows(scope: KeyScope, needed: KeyScope): boolean {
  return KEY_SCOPES.indexOf(scope) >= KEY_SCOPES.indexOf(needed);
}

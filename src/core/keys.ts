/**
 * API keys for `tessera serve` (issue 15): the shapes shared by the key
 * workflows (app/keys.ts, the registry's keys/ files) and the server's
 * authentication. A key acts as one team with one scope; the registry keeps
 * only a salted hash of its secret.
 */
import { InputError } from './errors.js';

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

/**
 * The git identity a key acts as. Its team is part of the address, so every
 * membership check (core/membership.ts) knows the key's team from the actor
 * alone; `.invalid` (RFC 2606) can never be a person's address. A person can
 * still type this address into their git config, as they can any member's:
 * `tessera verify` holds such commits to their `Tessera-Key` trailer.
 */
export const KEY_EMAIL_DOMAIN = 'keys.tessera.invalid';

export function keyEmail(keyId: string, team: string): string {
  return `key-${keyId}@${team}.${KEY_EMAIL_DOMAIN}`;
}

const KEY_EMAIL = /^key-([a-z0-9]{12})@([a-z0-9][a-z0-9_-]*)\.keys\.tessera\.invalid$/;

/** The key and team of a key's identity, or undefined for anyone else. */
export function parseKeyEmail(actor: string): { keyId: string; team: string } | undefined {
  const m = KEY_EMAIL.exec(actor.toLowerCase());
  return m ? { keyId: m[1]!, team: m[2]! } : undefined;
}

export type KeyStatus = 'active' | 'revoked' | 'expired';

/** A key's status at `now`: revoked wins over expired. */
export function keyStatus(key: { revoked_at?: string | undefined; expires_at?: string | undefined }, now: Date): KeyStatus {
  if (key.revoked_at !== undefined) return 'revoked';
  if (key.expires_at !== undefined && new Date(key.expires_at).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** `--expires`: a lifetime in days or weeks (90d, 12w), or the ISO date or time it ends. */
export function parseKeyExpiry(raw: string, now: Date): Date {
  const life = /^([1-9]\d{0,4})([dw])$/.exec(raw.trim());
  const at = life ? new Date(now.getTime() + Number(life[1]) * (life[2] === 'w' ? 7 : 1) * 86_400_000) : /^\d{4}-\d{2}-\d{2}/.test(raw) ? new Date(raw) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw new InputError(`--expires ${JSON.stringify(raw.slice(0, 40))} is not a lifetime or a date`, 'use days or weeks (--expires 90d, --expires 12w) or a date (--expires 2027-01-31)');
  if (at.getTime() <= now.getTime()) throw new InputError(`--expires ${raw} is already past`, 'give a lifetime (--expires 90d) or a future date');
  return at;
}

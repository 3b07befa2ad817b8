/** Whether a key's scope allows an action, with the refusal the API and the team UI both give. */
import { scopeAllows, type KeyPrincipal, type KeyRefusal, type KeyScope } from '../core/keys.js';

export function scopeRefusal(p: KeyPrincipal, needed: KeyScope): KeyRefusal | undefined {
  if (scopeAllows(p.scope, needed)) return undefined;
  return {
    status: 403,
    code: 'insufficient_scope',
    message: `key ${p.keyId} of team ${p.team} has scope ${p.scope}; this request needs ${needed}`,
    fix: `use a key with scope ${needed}: tessera key create --team ${p.team} --scope ${needed}`,
  };
}

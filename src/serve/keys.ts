/**
 * The server's key check: the registry's keys as main has them now (after
 * the server's throttled fetch of a remote registry, so a revocation takes
 * effect within one fetch interval).
 */
import type { AppContext } from '../app/context.js';
import { authenticate, keyIdentity } from '../registry/keys.js';
import { KEYS_DIR, MAIN_REF } from '../core/paths.js';
import type { KeyAuth } from './auth.js';

export function registryKeyAuth(ctx: AppContext): KeyAuth {
  return {
    authenticate: async (header, now) => authenticate(await ctx.repo.snapshot(MAIN_REF, [KEYS_DIR]), header, now),
    identityOf: keyIdentity,
  };
}

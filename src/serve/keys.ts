/**
 * The server's key check, until the registry's keys (src/registry/keys.ts)
 * are merged: every key is refused, so nothing is served unauthenticated.
 */
import type { AppContext } from '../app/context.js';
import type { KeyAuth } from './auth.js';

export function registryKeyAuth(_ctx: AppContext): KeyAuth {
  return {
    authenticate: async (header) => ({ status: 401, code: header ? 'unknown_key' : 'no_key', message: 'this build of tessera has no API keys yet', fix: 'upgrade tessera; keys come with tessera key create' }),
    identityOf: () => {
      throw new Error('no key can be accepted in this build');
    },
  };
}

/**
 * The actor is git's author identity where the command runs: GIT_AUTHOR_*
 * if set, else user.name / user.email from git config (else, for a local
 * registry only, a guess from the login and host name).
 */
import os from 'node:os';
import { git } from './git.js';
import { InputError } from '../core/errors.js';
import type { Identity } from './commit-writer.js';

export const NO_IDENTITY_HINT = 'run: git config --global user.email you@example.com && git config --global user.name "Your Name"';

export function noIdentityError(): InputError {
  return new InputError('no git identity: Tessera records who acted', NO_IDENTITY_HINT);
}

/**
 * `guess`: where git has no identity at all (a fresh machine), act as
 * <login>@<host>, the way git itself falls back on many systems, marked
 * `guessed` so the caller says so. Only for registries nobody else shares.
 */
export async function currentIdentity(cwd = process.cwd(), options: { guess?: boolean } = {}): Promise<Identity> {
  const r = await git(['var', 'GIT_AUTHOR_IDENT'], { cwd, allowFailure: true });
  const m = /^(.*) <([^>]*)> \d+ [+-]\d{4}$/.exec(r.stdout.trim());
  if (r.code === 0 && m && m[2]) return { name: m[1] ?? m[2], email: m[2].toLowerCase() };
  const guessed = options.guess ? machineIdentity() : undefined;
  if (!guessed) throw noIdentityError();
  return guessed;
}

function machineIdentity(): Identity | undefined {
  let login: string;
  try {
    login = os.userInfo().username;
  } catch {
    return undefined;
  }
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  const user = clean(login);
  const host = clean(os.hostname()) || 'localhost';
  return user ? { name: login, email: `${user}@${host}`, guessed: true } : undefined;
}

/** Current time; TESSERA_NOW (ISO) pins it for scripted scenarios and tests. */
export function now(): Date {
  const pinned = process.env.TESSERA_NOW;
  if (pinned) {
    const d = new Date(pinned);
    if (Number.isNaN(d.getTime())) throw new InputError(`TESSERA_NOW=${pinned} is not a date`, 'use an ISO time like 2026-01-31T12:00:00Z');
    return d;
  }
  return new Date();
}

/**
 * The actor is git's author identity where the command runs: GIT_AUTHOR_*
 * if set, else user.name / user.email from git config.
 */
import { git } from './git.js';
import { InputError } from '../core/errors.js';
import type { Identity } from './commit-writer.js';

export async function currentIdentity(cwd = process.cwd()): Promise<Identity> {
  const r = await git(['var', 'GIT_AUTHOR_IDENT'], { cwd, allowFailure: true });
  const m = /^(.*) <([^>]*)> \d+ [+-]\d{4}$/.exec(r.stdout.trim());
  if (r.code !== 0 || !m || !m[2]) {
    throw new InputError('no git identity: Tessera records who acted', 'run: git config --global user.email you@example.com && git config --global user.name "Your Name"');
  }
  return { name: m[1] ?? m[2], email: m[2].toLowerCase() };
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

/**
 * For the use-case tests: a real registry in a temp dir, an AppContext on it
 * for a fixed person and time, and what git says afterwards (main's head,
 * the trailers of a commit). Setting a registry up with workflows other than
 * the one under test goes through the real binary.
 */
import path from 'node:path';
import { initLocal } from '../../src/registry/init.js';
import { Repository } from '../../src/registry/repository.js';
import type { Identity } from '../../src/registry/commit-writer.js';
import type { AppContext } from '../../src/app/context.js';
import { teamAdd } from '../../src/app/team-add.js';
import { gitIn, machine, tempDir, USERS_V1, writeJson, type Machine } from '../helpers/machines.js';

export const AT = new Date('2026-03-01T12:00:00.000Z');
export const AT_ISO = '2026-03-01T12:00:00Z';
export const ANA: Identity = { name: 'ana', email: 'ana@acme.com' };
export const LI: Identity = { name: 'li', email: 'li@acme.com' };

export interface TempRegistry {
  root: string;
  gitDir: string;
  /** A person on their own machine using this registry through the binary. */
  person(who: Identity): Machine;
  /** Open the registry as `who`; closed by closeAll. */
  open(who?: Identity): Promise<AppContext>;
  closeAll(): void;
}

export async function tempRegistry(): Promise<TempRegistry> {
  const root = tempDir('tessera-app-');
  const gitDir = path.join(root, 'registry.git');
  await initLocal(gitDir, ANA, Math.floor(AT.getTime() / 1000));
  const repos: Repository[] = [];
  return {
    root,
    gitDir,
    person: (who) => machine(root, who.name, who.email, { TESSERA_REGISTRY: gitDir }),
    open: async (who = ANA) => {
      const repo = await Repository.openGitDir(gitDir);
      repos.push(repo);
      return { repo, identity: async () => who, now: () => AT };
    },
    closeAll: () => {
      for (const r of repos.splice(0)) r.close();
    },
  };
}

export async function head(gitDir: string, ref = 'main'): Promise<string> {
  return (await gitIn(gitDir, ['rev-parse', ref])).trim();
}

/** The Tessera-Event trailers of a commit (what `tessera log` reads back). */
export async function eventTrailers(gitDir: string, commit: string): Promise<string[]> {
  const body = await gitIn(gitDir, ['log', '-1', '--format=%B', commit]);
  return [...body.matchAll(/^Tessera-Event: (.+)$/gm)].map((m) => m[1]!);
}

/** Team core (ana) owns the published asset users; team growth (li) exists and consumes nothing yet. */
export async function usersRegistry(): Promise<TempRegistry> {
  const r = await tempRegistry();
  const ana = await r.open(ANA);
  await teamAdd(ana, { name: 'core', members: [ANA.email] });
  await teamAdd(ana, { name: 'growth', members: [LI.email] });
  const published = await r.person(ANA).run(['publish', 'users', writeJson(r.root, 'users.json', USERS_V1), '--owner', 'core']);
  if (published.exitCode !== 0) throw new Error(`publish users: ${published.stderr}`);
  return r;
}

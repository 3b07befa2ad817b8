/**
 * For the proposal workflows' use-case tests: a real registry in a temp dir
 * where team core (ana) owns `users` 1.0.0 and the consumer teams given
 * read it, set up through the real binary; an AppContext on it for any
 * person at a fixed time; and what git says afterwards (ref heads, the
 * Tessera-Event trailers of a commit).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { Repository } from '../../src/registry/repository.js';
import type { Identity } from '../../src/registry/commit-writer.js';
import type { AppContext } from '../../src/app/context.js';
import type { PublishRequest } from '../../src/app/publish.js';
import { gitIn, machine, tempDir, USERS_V1, USERS_V2_NO_EMAIL, writeJson, type Machine } from '../helpers/machines.js';

// One fixed time and cast for every use-case test.
import { AT, AT_ISO, ANA, LI } from './temp-registry.js';
export { AT, AT_ISO, ANA, LI };
export const BO: Identity = { name: 'bo', email: 'bo@acme.com' };

export interface ProposalRegistry {
  root: string;
  gitDir: string;
  /** The binary, as `who`, at the fixture's time. */
  run(who: Identity, args: string[]): ReturnType<Machine['run']>;
  /** Open the registry as `who` at `at`; closed by closeAll. */
  open(who: Identity, at?: Date): Promise<AppContext>;
  closeAll(): void;
  /** A ref's commit, or undefined when the ref does not exist. */
  head(ref: string): Promise<string | undefined>;
  /** Every ref and its commit, to say "nothing was written". */
  refs(): Promise<string>;
  /** The Tessera-Event trailers of a commit. */
  eventsOf(commit: string): Promise<string[]>;
}

export interface Options {
  /** Teams registered as consumers of users (default growth and billing). */
  consumers?: string[];
  /** tessera.yaml policy settings, committed the way an admin would. */
  policy?: Record<string, unknown>;
}

export async function proposalRegistry(options: Options = {}): Promise<ProposalRegistry> {
  const root = tempDir('tessera-app-proposals-');
  const gitDir = path.join(root, 'registry.git');
  const machines = new Map<string, Machine>();
  const run = (who: Identity, args: string[]) => {
    if (!machines.has(who.email)) machines.set(who.email, machine(root, who.name, who.email, { TESSERA_REGISTRY: gitDir, TESSERA_NOW: AT_ISO }));
    return machines.get(who.email)!.run(args);
  };
  const must = async (who: Identity, args: string[]) => {
    const r = await run(who, args);
    if (r.exitCode !== 0) throw new Error(`tessera ${args.join(' ')}: ${r.stderr}`);
  };
  await must(ANA, ['init', gitDir]);
  if (options.policy) {
    const work = path.join(root, 'work');
    await gitIn(root, ['clone', '--quiet', gitDir, work]);
    const file = path.join(work, 'tessera.yaml');
    const cfg = parse(readFileSync(file, 'utf8')) as { policy: Record<string, unknown> };
    Object.assign(cfg.policy, options.policy);
    writeFileSync(file, stringify(cfg));
    await gitIn(work, ['-c', 'user.email=ana@acme.com', '-c', 'user.name=ana', 'commit', '-qam', 'settings']);
    await gitIn(work, ['push', '--quiet', 'origin', 'main']);
  }
  await must(ANA, ['team', 'add', 'core', '--member', ANA.email]);
  await must(LI, ['team', 'add', 'growth', '--member', LI.email]);
  await must(BO, ['team', 'add', 'billing', '--member', BO.email]);
  await must(ANA, ['publish', 'users', writeJson(root, 'users-v1.json', USERS_V1), '--owner', 'core']);
  for (const team of options.consumers ?? ['growth', 'billing']) await must(team === 'growth' ? LI : BO, ['consume', 'users', '--team', team]);

  const repos: Repository[] = [];
  const head = async (ref: string) => (await gitIn(gitDir, ['for-each-ref', '--format=%(objectname)', ref])).trim() || undefined;
  return {
    root,
    gitDir,
    run,
    open: async (who, at = AT) => {
      const repo = await Repository.openGitDir(gitDir);
      repos.push(repo);
      return { repo, identity: async () => who, now: () => at };
    },
    closeAll: () => {
      for (const r of repos.splice(0)) r.close();
    },
    head,
    refs: () => gitIn(gitDir, ['for-each-ref', '--format=%(refname) %(objectname)']),
    eventsOf: async (commit) => [...(await gitIn(gitDir, ['log', '-1', '--format=%B', commit])).matchAll(/^Tessera-Event: (.+)$/gm)].map((m) => m[1]!),
  };
}

/** users without its email column: breaking for every consumer. */
export function breakingUsers(extra: Partial<PublishRequest> = {}): PublishRequest {
  return { contract: { asset: 'users', schema: USERS_V2_NO_EMAIL }, ...extra };
}

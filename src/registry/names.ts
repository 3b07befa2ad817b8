/**
 * Names for shell completion: asset ids, team names and open proposal ids,
 * from one level of main's tree (assets/ and teams/) and the proposal refs
 * alone: no file is read or parsed, which is cheaper than the parse cache,
 * and at 10,000 assets listing assets/ one level deep instead of recursively
 * (every version and consumer file) is 7 ms instead of 62. Every directory
 * under assets/ is an asset's: Tessera writes asset.yaml first and never
 * removes it. Never fetches (a shared registry is read from its local clone
 * as it is), never creates a registry.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { git } from './git.js';
import type { RegistryLocation } from './locate.js';

/**
 * core/paths.ts MAIN_REF and core/proposal.ts PROPOSAL_BRANCH_PREFIX, spelled
 * out: importing those modules builds every zod schema of the model, which
 * cost a completion (run at each Tab press) 20-40 ms. Kept equal to them by
 * test/cli/completion.test.ts.
 */
export const NAME_REFS = { main: 'refs/heads/main', proposals: 'refs/heads/tessera/proposals/' } as const;

export type NameKind = 'assets' | 'teams' | 'proposals';

/** Sorted names of each kind asked for; [] when the registry (or the clone of a shared one) does not exist here. */
export async function listNames(location: RegistryLocation, kinds: readonly NameKind[]): Promise<string[]> {
  const dir = location.kind === 'path' ? location.path : location.cacheDir;
  if (kinds.length === 0 || !existsSync(dir)) return [];
  // A bare registry is its own git dir; GIT_DIR keeps git from taking a directory that is not a registry for the repository around it.
  const gitDir = existsSync(path.join(dir, '.git')) ? path.join(dir, '.git') : dir;
  const run = (args: string[]) => git(args, { cwd: dir, env: { GIT_DIR: gitDir }, allowFailure: true });
  const want = new Set(kinds);
  const dirs = [...(want.has('assets') ? ['assets/'] : []), ...(want.has('teams') ? ['teams/'] : [])];
  const [tree, refs] = await Promise.all([
    // No main branch yet (or a repository git cannot read): nothing to offer.
    dirs.length > 0 ? run(['ls-tree', '-z', '--full-tree', NAME_REFS.main, '--', ...dirs]) : undefined,
    // %(objecttype) makes git read each branch's commit: a repository missing its objects lists nothing.
    want.has('proposals') ? run(['for-each-ref', '--format=%(objecttype) %(refname)', NAME_REFS.proposals]) : undefined,
  ]);
  // "<mode> SP <type> SP <oid> TAB <path>"
  const entries = tree?.code === 0 ? tree.stdout.split('\0').filter(Boolean).map((rec) => ({ type: rec.split(' ')[1], path: rec.slice(rec.indexOf('\t') + 1) })) : [];
  const out = new Set<string>();
  if (refs?.code === 0) {
    for (const line of refs.stdout.split('\n')) if (line.startsWith('commit ')) out.add(line.slice('commit '.length + NAME_REFS.proposals.length));
  }
  for (const e of entries) {
    if (e.type === 'tree' && e.path.startsWith('assets/')) out.add(e.path.slice('assets/'.length));
    else if (e.type === 'blob' && /^teams\/[^/]+\.yaml$/.test(e.path)) out.add(e.path.slice('teams/'.length, -'.yaml'.length));
  }
  return [...out].sort();
}

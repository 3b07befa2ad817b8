/**
 * Names for shell completion: asset ids, team names and open proposal ids,
 * from the main branch's tree listing and the proposal refs alone (no file is
 * read or parsed: cheaper than the parse cache). Never fetches (a shared
 * registry is read from its local clone as it is), never creates a registry.
 */
import { existsSync } from 'node:fs';
import { git } from './git.js';
import { indexAssetTree } from './asset-index.js';
import { Repository } from './repository.js';
import type { RegistryLocation } from './locate.js';
import { MAIN_REF } from '../core/paths.js';
import { PROPOSAL_BRANCH_PREFIX } from '../core/proposal.js';

export type NameKind = 'assets' | 'teams' | 'proposals';

/** Sorted names of each kind asked for; [] when the registry (or the clone of a shared one) does not exist here. */
export async function listNames(location: RegistryLocation, kinds: readonly NameKind[]): Promise<string[]> {
  const dir = location.kind === 'path' ? location.path : location.cacheDir;
  if (kinds.length === 0 || !existsSync(dir)) return [];
  const repo = await Repository.openGitDir(dir, location);
  try {
    const want = new Set(kinds);
    const [tree, refs] = await Promise.all([
      want.has('assets') || want.has('teams') ? listMainTree(repo.gitDir, [...(want.has('assets') ? ['assets'] : []), ...(want.has('teams') ? ['teams'] : [])]) : [],
      want.has('proposals') ? openProposalIds(repo.gitDir) : [],
    ]);
    const out = new Set<string>(refs);
    if (want.has('assets')) for (const f of indexAssetTree(tree).assetFiles) out.add(f.split('/')[1]!);
    if (want.has('teams')) for (const p of tree) if (/^teams\/[^/]+\.yaml$/.test(p)) out.add(p.slice('teams/'.length, -'.yaml'.length));
    return [...out].sort();
  } finally {
    repo.close();
  }
}

/** Paths under `dirs` on main; [] when there is no main branch yet (or git cannot read it: completion offers nothing then). */
async function listMainTree(gitDir: string, dirs: string[]): Promise<string[]> {
  const r = await git(['ls-tree', '-r', '-z', '--name-only', '--full-tree', MAIN_REF, '--', ...dirs], { cwd: gitDir, allowFailure: true });
  return r.code === 0 ? r.stdout.split('\0').filter(Boolean) : [];
}

async function openProposalIds(gitDir: string): Promise<string[]> {
  const r = await git(['for-each-ref', '--format=%(refname)', PROPOSAL_BRANCH_PREFIX], { cwd: gitDir });
  return r.stdout.split('\n').filter(Boolean).map((ref) => ref.slice(PROPOSAL_BRANCH_PREFIX.length));
}

/**
 * Read-only questions to a registry remote, without a clone: does it answer,
 * what is its main branch, and which branch its HEAD (the default branch that
 * `git clone` checks out) names. One `git ls-remote` each.
 */
import { RegistryError } from '../core/errors.js';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { firstLine, git, resolveRef } from './git.js';
import { isGitUrl } from './locate.js';
import { MAIN_BRANCH, MAIN_REF } from '../core/paths.js';

export type RemoteProbe =
  | { reachable: true; main: string | undefined; head: string | undefined }
  | { reachable: false; error: string };

/** git's first line, with the next one where the first only introduces it ("unable to connect to host:" + "errno=Connection refused"). */
function failure(stderr: string): string {
  const first = firstLine(stderr);
  if (!first.endsWith(':')) return first;
  const rest = stderr.split('\n').map((l) => l.trim()).filter(Boolean)[1];
  return rest ? `${first} ${rest}` : first;
}

/** `git ls-remote --symref URL HEAD refs/heads/main`: reachability, the main commit, HEAD's branch (when it resolves). */
export async function probeRemote(url: string): Promise<RemoteProbe> {
  // A stalled server is a finding like any other unreachable one: the deadline's error becomes the reason.
  let r;
  try {
    r = await git(['ls-remote', '--symref', url, 'HEAD', MAIN_REF], { cwd: os.tmpdir(), allowFailure: true, network: { url } });
  } catch (e) {
    if (e instanceof RegistryError) return { reachable: false, error: e.message };
    throw e;
  }
  if (r.code !== 0) return { reachable: false, error: failure(r.stderr) || `git ls-remote exited ${r.code}` };
  let main: string | undefined;
  let head: string | undefined;
  for (const line of r.stdout.split('\n')) {
    const sym = /^ref: (\S+)\tHEAD$/.exec(line);
    if (sym) head = sym[1]!.replace(/^refs\/heads\//, '');
    const ref = /^([0-9a-f]{40,64})\t(\S+)$/.exec(line);
    if (ref && ref[2] === MAIN_REF) main = ref[1];
  }
  return { reachable: true, main, head };
}

/** The git dir behind a file:// URL or a plain path; undefined for network transports. */
export function localGitDir(url: string): string | undefined {
  let dir: string;
  if (/^file:\/\//i.test(url)) {
    try {
      dir = fileURLToPath(url);
    } catch {
      return undefined;
    }
  } else if (isGitUrl(url)) return undefined;
  else dir = path.resolve(url);
  if (existsSync(path.join(dir, 'HEAD'))) return dir;
  if (existsSync(path.join(dir, '.git', 'HEAD'))) return path.join(dir, '.git');
  return undefined;
}

export interface RemoteHead {
  /** The branch HEAD names after we looked (null: HEAD names a branch that does not exist). */
  branch: string | null;
  /** main: already main; set: we pointed an unborn HEAD at main; other: HEAD is not main and we could not change it. */
  status: 'main' | 'set' | 'other';
  /** For `other`: one line saying how to fix it. */
  notice?: string;
}

/**
 * Make `git clone URL` check out the registry. A stock `git init --bare`
 * leaves HEAD at master (or init.defaultBranch), which does not exist once
 * only main is pushed. Where the repository is on this machine we point an
 * unborn HEAD at main; a HEAD that names an existing branch was someone's
 * choice and is left alone. Elsewhere only the server can change it, so we
 * say how.
 */
export async function pointRemoteHeadAtMain(url: string): Promise<RemoteHead> {
  const local = localGitDir(url);
  if (local) {
    const head = (await git(['symbolic-ref', '-q', 'HEAD'], { cwd: local, allowFailure: true })).stdout.trim();
    if (head === MAIN_REF) return { branch: MAIN_BRANCH, status: 'main' };
    if (head.startsWith('refs/heads/') && !(await resolveRef(local, head))) {
      const r = await git(['symbolic-ref', 'HEAD', MAIN_REF], { cwd: local, allowFailure: true });
      if (r.code === 0) return { branch: MAIN_BRANCH, status: 'set' };
    }
  }
  const probe = await probeRemote(url);
  const head = probe.reachable ? probe.head : undefined;
  if (head === MAIN_BRANCH) return { branch: MAIN_BRANCH, status: 'main' };
  const now = head ? `is ${head}` : 'names a branch that does not exist';
  return {
    branch: head ?? null,
    status: 'other',
    notice: `tessera: the remote's default branch ${now}, so \`git clone\` of it shows no registry; set it to ${MAIN_BRANCH} on the server (GitHub: Settings > General > Default branch; GitLab: Settings > Repository > Branch defaults; bare repo: git symbolic-ref HEAD ${MAIN_REF})`,
  };
}

/**
 * Transport to a shared registry. The local side is always a bare git dir
 * with an `origin` remote; branches are fetched 1:1 (refs/heads/* ->
 * refs/heads/*) so reads see exactly what the remote has.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { git, firstLine } from './git.js';
import { RegistryError } from '../core/errors.js';

export const FETCH_REFSPECS = ['+refs/heads/*:refs/heads/*', '+refs/tessera/acks/*:refs/tessera/acks/*', '+refs/tessera/notify/*:refs/tessera/notify/*'];

function unreachable(url: string, stderr: string): RegistryError {
  return new RegistryError(`cannot reach the registry remote ${url}: ${firstLine(stderr)}`, 'check the URL and your network, then retry');
}

function isLockContention(stderr: string): boolean {
  return /cannot lock ref|Unable to create '.*\.lock'|unable to update local ref|is at .* but expected/i.test(stderr);
}

export async function remoteUrl(gitDir: string): Promise<string | undefined> {
  const simple = remoteUrlFromConfigFile(gitDir);
  if (simple !== null) return simple;
  const r = await git(['config', '--get', 'remote.origin.url'], { cwd: gitDir, allowFailure: true });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/**
 * remote.origin.url read from <git-dir>/config when that file is written the
 * plain way git clone writes it (a process less on every command); null when
 * anything could make git's answer differ (includes, quoting, environment
 * overrides), and git decides.
 */
function remoteUrlFromConfigFile(gitDir: string): string | undefined | null {
  if (process.env.GIT_CONFIG_COUNT || process.env.GIT_CONFIG_PARAMETERS || process.env.GIT_CONFIG) return null;
  let text: string;
  try {
    text = readFileSync(path.join(gitDir, 'config'), 'utf8');
  } catch {
    return null;
  }
  if (/^\s*\[\s*include/im.test(text) || /["\\]/.test(text.replace(/^\s*\[remote "[^"\\]*"\]\s*$/gm, ''))) return null;
  let inOrigin = false;
  let url: string | undefined;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t.startsWith('[')) inOrigin = t === '[remote "origin"]';
    else if (inOrigin) {
      const m = /^url\s*=\s*(.*)$/i.exec(t);
      if (m) url = m[1]!.trim();
    }
  }
  // (A remote.origin.url in the user's global config would apply to every repository; we ignore that oddity.)
  return url;
}

/**
 * Fetch every branch with prune. Retries briefly when another local process
 * holds a ref lock. No automatic maintenance: it cost ~70 ms per fetch, and
 * Repository.maybeGc runs gc when packs or loose objects actually pile up.
 */
export async function fetchAll(gitDir: string, url: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const r = await git(['fetch', '--quiet', '--prune', '--no-tags', '--no-write-fetch-head', '--no-auto-maintenance', 'origin', ...FETCH_REFSPECS], { cwd: gitDir, allowFailure: true, network: { url } });
    if (r.code === 0) return;
    if (isLockContention(r.stderr) && attempt < 20) {
      await sleep(20 + Math.random() * 80);
      continue;
    }
    if (/refusing to fetch into branch .* checked out/i.test(r.stderr)) {
      // A plain `git clone` of the registry: its work tree holds main, so git will not move main under it.
      throw new RegistryError(
        `${gitDir} is a work tree with a branch checked out; Tessera keeps its registry clones bare`,
        `use the URL itself (--registry ${url}), or \`tessera init DIR --remote ${url}\` for a clone of your own; in a CI checkout of the registry, see docs/ci.md`,
      );
    }
    throw unreachable(url, r.stderr);
  }
}

export type PushOutcome = 'ok' | 'rejected';

/**
 * Push refspecs atomically. "rejected" means the remote moved (someone else
 * pushed first): the caller fetches, re-plans and tries again.
 */
export async function push(gitDir: string, url: string, refspecs: string[]): Promise<PushOutcome> {
  const r = await git(['push', '--quiet', '--atomic', '--porcelain', 'origin', ...refspecs], { cwd: gitDir, allowFailure: true, network: { url } });
  if (r.code === 0) return 'ok';
  const text = r.stdout + '\n' + r.stderr;
  if (/\[rejected\]|non-fast-forward|fetch first|stale info|\[remote rejected\].*(lock|failed to update ref)|cannot lock ref/i.test(text)) return 'rejected';
  const refused = /\[remote rejected\][^(]*\(([^)]*)\)/.exec(text);
  if (refused) {
    throw new RegistryError(`the registry remote ${url} refused the push: ${refused[1]}`, 'check your write access and any branch protection or server hooks on it');
  }
  if (/atomic push failed/i.test(text)) return 'rejected';
  throw unreachable(url, r.stderr || r.stdout);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

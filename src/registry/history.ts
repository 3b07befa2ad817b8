/**
 * The main branch's history in one `git log` process: every first-parent
 * commit with its parents, author, signature status, trailers and the raw
 * list of changed paths with old and new blob ids.
 */
import { git } from './git.js';
import { parseTrailerLines } from '../core/commit-message.js';

export interface PathChange {
  status: 'A' | 'M' | 'D' | 'T';
  path: string;
  oldOid: string | undefined;
  newOid: string | undefined;
}

export interface CommitRecord {
  commit: string;
  parents: string[];
  authorEmail: string;
  time: string;
  /** %G?: G good, U good but unknown validity, N none, B bad, E cannot check, X/Y/R expired or revoked. */
  signature: string;
  trailers: Map<string, string[]>;
  changes: PathChange[];
}

const ZERO = /^0+$/;

export async function readHistory(gitDir: string, range: string, options: { allowedSignersFile?: string; checkSignatures?: boolean } = {}): Promise<CommitRecord[]> {
  const pre: string[] = [];
  if (options.allowedSignersFile) pre.push('-c', `gpg.ssh.allowedSignersFile=${options.allowedSignersFile}`);
  const sig = options.checkSignatures ? '%G?' : '-';
  const format = `%x1e%H%x1f%P%x1f%ae%x1f%aI%x1f${sig}%x1f%(trailers:only,unfold)%x1f`;
  const r = await git([...pre, 'log', '--first-parent', '--reverse', '-z', '--raw', '--no-renames', '--no-abbrev', `--format=${format}`, range, '--'], { cwd: gitDir });
  const out: CommitRecord[] = [];
  for (const rec of r.stdout.split('\x1e')) {
    if (!rec.trim()) continue;
    const parts = rec.split('\x1f');
    const [commit, parents, author, time, signature, trailerText, raw] = parts as [string, string, string, string, string, string, string | undefined];
    const changes: PathChange[] = [];
    // Raw entries: ":<mode> <mode> <old> <new> <status>\0<path>\0"
    const tokens = (raw ?? '').split('\0');
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!.replace(/^\n+/, '');
      if (!t.startsWith(':')) continue;
      const [, , oldOid, newOid, status] = t.slice(1).split(' ') as [string, string, string, string, string];
      const path = tokens[++i] ?? '';
      changes.push({ status: status[0] as PathChange['status'], path, oldOid: ZERO.test(oldOid) ? undefined : oldOid, newOid: ZERO.test(newOid) ? undefined : newOid });
    }
    out.push({
      commit,
      parents: parents ? parents.split(' ') : [],
      authorEmail: author.toLowerCase(),
      time,
      signature,
      trailers: parseTrailerLines(trailerText ?? ''),
      changes,
    });
  }
  return out;
}

/** Authors and trailers of arbitrary commits (merge side parents), in one process. */
export async function describeCommits(gitDir: string, commits: string[]): Promise<Map<string, { authorEmail: string; trailers: Map<string, string[]> }>> {
  const out = new Map<string, { authorEmail: string; trailers: Map<string, string[]> }>();
  if (commits.length === 0) return out;
  const r = await git(['show', '-s', '--no-walk', `--format=%x1e%H%x1f%ae%x1f%(trailers:only,unfold)`, ...commits], { cwd: gitDir });
  for (const rec of r.stdout.split('\x1e')) {
    if (!rec.trim()) continue;
    const [commit, email, trailers] = rec.split('\x1f') as [string, string, string];
    out.set(commit.trim(), { authorEmail: email.toLowerCase(), trailers: parseTrailerLines(trailers ?? '') });
  }
  return out;
}

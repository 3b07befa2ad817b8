/**
 * Builds one commit from a set of file changes without touching a work tree:
 * a single `git fast-import` writes the blobs, tree and commit (15 ms vs
 * 74 ms for add+commit), onto a private scratch ref. Publishing that commit
 * on the real ref is a separate compare-and-swap (see Repository.casUpdate),
 * so nothing is half-written if anything fails.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { git } from './git.js';
import { RegistryError } from '../core/errors.js';

export interface FileChange {
  path: string;
  /** New content, or null to delete the file. */
  content: string | null;
}

export interface Identity {
  name: string;
  email: string;
  /** Not configured in git: guessed from the login and host (src/registry/identity.ts). */
  guessed?: boolean;
  /** Acting through this API key (registry/keys.ts keyIdentity): its commits carry a `Tessera-Key` trailer. */
  key?: string;
}

export interface CommitRequest {
  parent: string | undefined;
  /** Extra parents (a merge commit). */
  merges?: string[];
  changes: FileChange[];
  message: string;
  author: Identity;
  /** Unix seconds. */
  when: number;
}

function identLine(kind: 'author' | 'committer', who: Identity, when: number): string {
  const clean = (s: string) => s.replace(/[<>\n]/g, '');
  return `${kind} ${clean(who.name) || clean(who.email)} <${clean(who.email)}> ${when} +0000\n`;
}

function data(content: string | Buffer): Buffer[] {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return [Buffer.from(`data ${body.length}\n`), body, Buffer.from('\n')];
}

function quotePath(p: string): string {
  // fast-import needs C-style quoting only for paths with LF, quote or leading quote; ids are validated, but be safe.
  return /["\n\\]/.test(p) || p.startsWith('"') ? JSON.stringify(p) : p;
}

/**
 * glibc's malloc hands memory back whenever the top of the heap is free, and
 * fast-import frees its buffers after each blob: a 10,500-file commit cost
 * ~80,000 brk calls and 2 of its 3.5 s there. A 64 MB trim threshold keeps
 * the heap for the life of this short process. Only when the user set none of
 * these; other C libraries ignore them.
 */
function fastImportEnv(): Record<string, string> {
  const env = process.env;
  if (env.GLIBC_TUNABLES !== undefined || env.MALLOC_TRIM_THRESHOLD_ !== undefined || env.MALLOC_TOP_PAD_ !== undefined) return {};
  return { MALLOC_TRIM_THRESHOLD_: String(64 << 20), MALLOC_TOP_PAD_: String(16 << 20) };
}

export const SCRATCH_PREFIX = 'refs/tessera/scratch/';

/** Older than this a scratch ref is litter whatever its pid says (the pid may belong to a new process by now). */
const SCRATCH_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * The one place a key's commits get their `Tessera-Key` trailer: every
 * workflow's message ends in its trailer block, so one more line joins it.
 */
function withKeyTrailer(message: string, author: Identity): string {
  if (author.key === undefined) return message;
  return `${message.replace(/\n*$/, '')}\nTessera-Key: ${author.key.replace(/[^a-z0-9]/g, '')}\n`;
}

/** Write the commit and return its id. The scratch ref is left for the caller to delete in the same transaction. */
/** A commit object's content, as fast-import writes it for the same request (loose-writer.ts writes it directly). */
export function commitBody(tree: string, req: CommitRequest): Buffer {
  const parents = [req.parent, ...(req.merges ?? [])].filter((p): p is string => p !== undefined);
  return Buffer.concat([
    Buffer.from(`tree ${tree}\n${parents.map((p) => `parent ${p}\n`).join('')}`),
    Buffer.from(identLine('author', req.author, req.when)),
    Buffer.from(identLine('committer', req.author, req.when)),
    Buffer.from('\n'),
    Buffer.from(withKeyTrailer(req.message, req.author), 'utf8'),
  ]);
}

export async function writeCommit(gitDir: string, req: CommitRequest): Promise<{ commit: string; scratchRef: string }> {
  return (await writeCommits(gitDir, [req]))[0]!;
}

/**
 * Write several commits through ONE fast-import process, each on its own
 * scratch ref: a sync that opens a dozen proposals starts one git process
 * instead of a dozen (each a process start and a fresh read of the parent's
 * trees, ~35 ms at 5,000 assets). Ids come back in request order.
 */
export async function writeCommits(gitDir: string, reqs: readonly CommitRequest[]): Promise<Array<{ commit: string; scratchRef: string }>> {
  if (reqs.length === 0) return [];
  const stem = `${SCRATCH_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`;
  const scratchRefs = reqs.map((_, i) => (reqs.length === 1 ? stem : `${stem}-${i + 1}`));
  const parts: Buffer[] = [];
  reqs.forEach((req, i) => {
    const mark = i + 1;
    parts.push(Buffer.from(`commit ${scratchRefs[i]}\nmark :${mark}\n`));
    parts.push(Buffer.from(identLine('author', req.author, req.when)));
    parts.push(Buffer.from(identLine('committer', req.author, req.when)));
    parts.push(...data(withKeyTrailer(req.message, req.author)));
    if (req.parent) parts.push(Buffer.from(`from ${req.parent}\n`));
    for (const m of req.merges ?? []) parts.push(Buffer.from(`merge ${m}\n`));
    for (const change of req.changes) {
      if (change.content === null) parts.push(Buffer.from(`D ${quotePath(change.path)}\n`));
      else {
        parts.push(Buffer.from(`M 100644 inline ${quotePath(change.path)}\n`));
        parts.push(...data(change.content));
      }
    }
    parts.push(Buffer.from('\n'));
  });
  reqs.forEach((_, i) => parts.push(Buffer.from(`get-mark :${i + 1}\n`)));
  parts.push(Buffer.from('done\n'));
  const r = await git(['fast-import', '--quiet', '--done', '--date-format=raw'], { cwd: gitDir, input: Buffer.concat(parts), allowFailure: true, env: fastImportEnv() });
  if (r.code !== 0) throw new RegistryError(`could not write the commit: ${r.stderr.split('\n')[0]}`);
  const ids = r.stdout.trim().split('\n').slice(-reqs.length);
  if (ids.length !== reqs.length || !ids.every((id) => /^[0-9a-f]{40,64}$/.test(id))) {
    throw new RegistryError(`could not write the commit: unexpected fast-import output ${JSON.stringify(r.stdout.slice(0, 80))}`);
  }
  return ids.map((commit, i) => ({ commit, scratchRef: scratchRefs[i]! }));
}

/** Whether a process with this id is gone from this host (EPERM: it exists, as another user). */
export function processGone(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Scratch refs on disk, found without starting git: loose ref files (name ->
 * mtime) and, when packed-refs names any (gc packs refs), that file's mtime,
 * which is no older than the refs it holds. undefined when there are none,
 * the usual case. A reftable repository has neither; git is asked, and only
 * the pid rule applies.
 */
function scratchOnDisk(gitDir: string): { loose: Map<string, number>; packedMtime: number | undefined } | undefined {
  const loose = new Map<string, number>();
  const dir = path.join(gitDir, SCRATCH_PREFIX);
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isFile()) loose.set(e.name, statSync(path.join(dir, e.name)).mtimeMs);
  } catch {
    // No loose scratch refs: git removes the directory with the last one.
  }
  let packedMtime: number | undefined;
  const packed = path.join(gitDir, 'packed-refs');
  try {
    if (readFileSync(packed, 'latin1').includes(` ${SCRATCH_PREFIX}`)) packedMtime = statSync(packed).mtimeMs;
  } catch {
    // No packed refs.
  }
  const reftable = loose.size === 0 && packedMtime === undefined && existsSync(path.join(gitDir, 'reftable'));
  return loose.size > 0 || packedMtime !== undefined || reftable ? { loose, packedMtime } : undefined;
}

/**
 * Delete scratch refs left by writers that died between fast-import and
 * their ref transaction (a kill -9): those whose pid is gone from this host,
 * or older than an hour. Age is the loose ref file's mtime, not the commit's
 * committer time: that is the write's `when`, which TESSERA_NOW pins to any
 * date, so a live write could look old. One transaction with each ref's
 * current value as the expected old one, so a ref that changed meanwhile is
 * never deleted (the whole prune then waits for the next write). Costs no
 * process unless scratch refs exist. Returns the refs deleted.
 */
export async function pruneStaleScratchRefs(gitDir: string, now = Date.now()): Promise<string[]> {
  const disk = scratchOnDisk(gitDir);
  if (!disk) return [];
  const listed = await git(['for-each-ref', '--format=%(refname) %(objectname)', SCRATCH_PREFIX], { cwd: gitDir, allowFailure: true });
  if (listed.code !== 0) return [];
  const stale: Array<{ ref: string; oid: string }> = [];
  for (const line of listed.stdout.split('\n')) {
    const [ref, oid] = line.split(' ');
    if (!ref || !oid) continue;
    const leaf = ref.slice(SCRATCH_PREFIX.length);
    const pid = /^(\d+)-[0-9a-f]+(?:-\d+)?$/.exec(leaf)?.[1];
    const mtime = disk.loose.get(leaf) ?? disk.packedMtime;
    if ((mtime !== undefined && now - mtime > SCRATCH_MAX_AGE_MS) || (pid !== undefined && processGone(Number(pid)))) stale.push({ ref, oid });
  }
  if (stale.length === 0) return [];
  const input = `start\n${stale.map((s) => `delete ${s.ref} ${s.oid}\n`).join('')}prepare\ncommit\n`;
  const r = await git(['update-ref', '--stdin'], { cwd: gitDir, input, allowFailure: true });
  return r.code === 0 ? stale.map((s) => s.ref) : [];
}

/** Whether the user asked git to sign commits (commit.gpgsign), read where the command runs. */
export async function wantsSignedCommits(cwd = process.cwd()): Promise<boolean> {
  const r = await git(['config', '--bool', '--get', 'commit.gpgsign'], { cwd, allowFailure: true });
  return r.stdout.trim() === 'true';
}

/**
 * Re-create a commit with a signature (fast-import cannot sign). Uses the
 * user's signing setup (user.signingkey, gpg.format) through commit-tree -S.
 */
export async function signCommit(gitDir: string, commit: string, author: Identity, when: number): Promise<string> {
  const raw = (await git(['cat-file', 'commit', commit], { cwd: gitDir })).stdout;
  const split = raw.indexOf('\n\n');
  const header = raw.slice(0, split);
  const message = raw.slice(split + 2);
  const tree = /^tree (\S+)$/m.exec(header)?.[1];
  const parents = [...header.matchAll(/^parent (\S+)$/gm)].map((m) => m[1]!);
  const date = `${when} +0000`;
  const r = await git(['commit-tree', tree!, ...parents.flatMap((p) => ['-p', p]), '-S'], {
    cwd: gitDir,
    input: message,
    allowFailure: true,
    env: { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: author.name, GIT_COMMITTER_EMAIL: author.email, GIT_COMMITTER_DATE: date },
  });
  if (r.code !== 0) throw new RegistryError(`could not sign the commit: ${r.stderr.split('\n')[0]}`, 'check user.signingkey and gpg.format in your git config');
  return r.stdout.trim();
}

/**
 * The Git-backed registry: the only module that reads or writes it.
 *
 * Reads: `snapshot()` lists one commit's tree and reads blobs through one
 * long-lived cat-file process. Writes: `transact()` fetches (for a shared
 * registry), calls the caller's planner against a fresh snapshot, builds the
 * commits with fast-import, and publishes every ref change at once with
 * compare-and-swap (a local ref transaction, or an atomic push with leases).
 * When someone else wins the race it re-fetches, re-plans and retries with
 * jittered backoff, at most 25 times, leaving the registry as it was on failure.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { git, firstLine } from './git.js';
import { ObjectReader } from './object-reader.js';
import { writeLooseCommit } from './loose-writer.js';
import { ParseCache } from './parse-cache.js';
import { Snapshot } from './snapshot.js';
import { processGone, pruneStaleScratchRefs, signCommit, wantsSignedCommits, writeCommits, type CommitRequest, type FileChange, type Identity } from './commit-writer.js';
import { fetchAll, push, remoteUrl, sleep } from './remote.js';
import { NoRegistryError, type RegistryLocation } from './locate.js';
import { MAIN_REF } from '../core/paths.js';
import { RegistryError } from '../core/errors.js';

export const MAX_ATTEMPTS = 25;

/** A change to one ref: a new commit built from file changes, an existing commit, or a deletion. */
export type RefWrite =
  | {
      ref: string;
      /** Compare-and-swap: the value the ref must still have (undefined: must not exist). */
      expectedOld: string | undefined;
      commit: { parents: string[]; changes: FileChange[]; message: string };
    }
  | { ref: string; expectedOld: string | undefined; target: string }
  | { ref: string; expectedOld: string; delete: true };

export interface Plan<R> {
  writes: RefWrite[];
  result: R;
}

export interface TransactOutcome<R> {
  result: R;
  /** New commit per written ref. */
  commits: Record<string, string>;
  attempts: number;
  retries: number;
}

export interface TransactOptions {
  author: Identity;
  when: () => number;
}

export class Repository {
  readonly reader: ObjectReader;
  private cache: ParseCache | undefined;
  private fetched = false;

  private constructor(
    readonly gitDir: string,
    /** The shared registry's URL when this is a clone of one. */
    readonly remote: string | undefined,
    readonly location: RegistryLocation | undefined,
  ) {
    this.reader = new ObjectReader(gitDir);
  }

  /** Open an existing registry at a git dir (bare repo or a work tree's .git). */
  static async openGitDir(dir: string, location?: RegistryLocation): Promise<Repository> {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new NoRegistryError(`no registry at ${dir}`, location);
    }
    if (readdirSync(dir).length === 0) throw new NoRegistryError(`no registry at ${dir} (an empty directory)`, location);
    const gitDir = await findGitDir(dir);
    const url = await remoteUrl(gitDir);
    return new Repository(gitDir, url, location);
  }

  /**
   * Open the registry a location names. A URL is served from a bare clone in
   * the user's cache directory, cloned on first use.
   */
  static async open(location: RegistryLocation, options: { createDefault?: (dir: string) => Promise<void> } = {}): Promise<Repository> {
    if (location.kind === 'path') {
      if (!existsSync(location.path) && location.isDefault && options.createDefault) await options.createDefault(location.path);
      return Repository.openGitDir(location.path, location);
    }
    if (!existsSync(location.cacheDir)) await cloneInto(location.url, location.cacheDir);
    const repo = await Repository.openGitDir(location.cacheDir, location);
    return repo;
  }

  /** Bring the local clone up to date with the remote (once per command unless forced). */
  async sync(force = false): Promise<void> {
    if (!this.remote || (this.fetched && !force)) return;
    await fetchAll(this.gitDir, this.remote);
    this.fetched = true;
    // Fetches leave packs and loose objects too; readers need gc as much as writers.
    this.maybeGc();
  }

  /** The commit a ref points at, asked of the running cat-file process (no extra git process). */
  async head(ref = MAIN_REF): Promise<string | undefined> {
    const o = await this.reader.lookup(`${ref}^{commit}`);
    return o?.oid;
  }

  /** Enable the on-disk parse cache (whole-registry commands). */
  useParseCache(options: { readOnly?: boolean } = {}): void {
    this.cache ??= ParseCache.open(this.gitDir);
    if (options.readOnly) this.cache.readOnly = true;
  }

  /** Seed the parse cache (when enabled) with values whose blob ids are known, e.g. files this process just wrote. */
  primeParseCache(entries: Iterable<[string, unknown]>): void {
    if (!this.cache) return;
    for (const [oid, value] of entries) this.cache.set(oid, value);
  }

  async snapshot(ref = MAIN_REF, pathspecs?: string[]): Promise<Snapshot> {
    await this.sync();
    const commit = await this.head(ref);
    return this.snapshotAt(commit, pathspecs);
  }

  async snapshotAt(commit: string | undefined, pathspecs?: string[]): Promise<Snapshot> {
    return Snapshot.load(this.gitDir, commit, this.reader, pathspecs ? { pathspecs, ...(this.cache ? { cache: this.cache } : {}) } : this.cache ? { cache: this.cache } : {});
  }

  /** `snapshot` for a few named paths, listed without starting git (Snapshot.loadPaths). */
  async snapshotPaths(ref: string, paths: readonly string[]): Promise<Snapshot> {
    await this.sync();
    return this.snapshotAtPaths(await this.head(ref), paths);
  }

  async snapshotAtPaths(commit: string | undefined, paths: readonly string[]): Promise<Snapshot> {
    return Snapshot.loadPaths(commit, this.reader, paths, this.cache ? { cache: this.cache } : {});
  }

  /** A commit object's raw text (headers, blank line, message), read through the running cat-file process. */
  async commitText(commit: string): Promise<string | undefined> {
    const o = await this.reader.lookup(commit);
    return o?.type === 'commit' ? o.body.toString('utf8') : undefined;
  }

  /** Every commit this process has published on a ref, oldest first: a write's own events, without a `git log`. */
  get publishedCommits(): readonly string[] {
    return this.published;
  }

  private readonly published: string[] = [];

  /** Refs under a prefix with their commits (e.g. proposal branches). */
  async refs(prefix: string): Promise<Map<string, string>> {
    await this.sync();
    const r = await git(['for-each-ref', '--format=%(refname) %(objectname)', prefix], { cwd: this.gitDir });
    const out = new Map<string, string>();
    for (const line of r.stdout.split('\n')) {
      const sp = line.indexOf(' ');
      if (sp > 0) out.set(line.slice(0, sp), line.slice(sp + 1));
    }
    return out;
  }

  /**
   * Plan against the newest state and publish atomically, retrying on races.
   * The planner must be a pure function of what it reads (it may run again).
   */
  async transact<R>(planner: (attempt: number) => Promise<Plan<R>>, options: TransactOptions): Promise<TransactOutcome<R>> {
    let retries = 0;
    // Ask git about signing while the planner runs, not after it.
    this.signing ??= wantsSignedCommits();
    this.signing.catch(() => undefined);
    // Housekeeping for writers killed mid-write; never a reason to fail this one.
    await pruneStaleScratchRefs(this.gitDir).catch(() => undefined);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) await this.sync(true);
      const plan = await planner(attempt);
      if (plan.writes.length === 0) return { result: plan.result, commits: {}, attempts: attempt, retries };
      const built = await this.build(plan.writes, options);
      let ok: boolean;
      try {
        ok = this.remote ? await this.publishRemote(plan.writes, built) : await this.publishLocal(plan.writes, built);
      } catch (e) {
        await this.dropScratch(built);
        throw e;
      }
      if (ok) {
        this.maybeGc();
        const commits: Record<string, string> = {};
        for (const [i, w] of plan.writes.entries()) {
          const b = built[i];
          if (!b) continue;
          commits[w.ref] = b.commit;
          if (!this.published.includes(b.commit)) this.published.push(b.commit);
        }
        return { result: plan.result, commits, attempts: attempt, retries };
      }
      await this.dropScratch(built);
      retries++;
      // Jittered exponential backoff: writers on one ref serialise, so spread them out.
      await sleep(Math.min(2000, 15 * 2 ** Math.min(attempt, 7)) * (0.5 + Math.random()));
    }
    throw new RegistryError(
      `gave up after ${MAX_ATTEMPTS} attempts: other writers kept changing the registry`,
      'nothing was written; retry in a moment',
    );
  }

  private signing: Promise<boolean> | undefined;

  private async build(writes: RefWrite[], options: TransactOptions): Promise<Array<{ commit: string; scratchRef?: string } | undefined>> {
    this.signing ??= wantsSignedCommits();
    const sign = await this.signing;
    // Every new commit of the transaction through one fast-import.
    const requests: CommitRequest[] = [];
    for (const w of writes) {
      if (!('commit' in w)) continue;
      const [first, ...merges] = w.commit.parents;
      const message = w.commit.message.endsWith('\n') ? w.commit.message : w.commit.message + '\n';
      requests.push({ parent: first, merges, changes: w.commit.changes, message, author: options.author, when: options.when() });
    }
    // A small commit is written by this process (no git process); the rest, and every signed one, by one fast-import.
    const loose = sign ? requests.map(() => undefined) : await Promise.all(requests.map((r) => writeLooseCommit(this.gitDir, this.reader, r)));
    const viaFastImport = await writeCommits(this.gitDir, requests.filter((_, i) => loose[i] === undefined));
    let imported = 0;
    const written = loose.map((commit) => (commit === undefined ? viaFastImport[imported++]! : { commit, scratchRef: undefined }));
    const out: Array<{ commit: string; scratchRef?: string } | undefined> = [];
    let next = 0;
    for (const w of writes) {
      if ('commit' in w) {
        const req = requests[next]!;
        const { commit, scratchRef } = written[next++]!;
        out.push({ commit: sign ? await signCommit(this.gitDir, commit, options.author, req.when) : commit, ...(scratchRef ? { scratchRef } : {}) });
      } else if ('target' in w) out.push({ commit: w.target });
      else out.push(undefined);
    }
    return out;
  }

  private async publishLocal(writes: RefWrite[], built: Array<{ commit: string; scratchRef?: string } | undefined>): Promise<boolean> {
    let input = 'start\n';
    const zero = '0'.repeat(40);
    for (const [i, w] of writes.entries()) {
      const b = built[i];
      if ('delete' in w) input += `delete ${w.ref} ${w.expectedOld}\n`;
      else input += `update ${w.ref} ${b!.commit} ${w.expectedOld ?? zero}\n`;
      if (b?.scratchRef) input += `delete ${b.scratchRef}\n`;
    }
    input += 'prepare\ncommit\n';
    const r = await git(['update-ref', '--stdin'], { cwd: this.gitDir, input, allowFailure: true });
    return r.code === 0;
  }

  private async publishRemote(writes: RefWrite[], built: Array<{ commit: string; scratchRef?: string } | undefined>): Promise<boolean> {
    const args: string[] = [];
    for (const [i, w] of writes.entries()) {
      args.push(`--force-with-lease=${w.ref}:${w.expectedOld ?? ''}`);
      const b = built[i];
      args.push("delete" in w ? `:${w.ref}` : `${b!.commit}:${w.ref}`);
    }
    const outcome = await push(this.gitDir, this.remote!, args);
    if (outcome === 'rejected') return false;
    // Mirror the remote locally; a lost race here is harmless (the next fetch corrects it).
    await this.publishLocalBestEffort(writes, built);
    return true;
  }

  private async publishLocalBestEffort(writes: RefWrite[], built: Array<{ commit: string; scratchRef?: string } | undefined>): Promise<void> {
    let input = '';
    for (const [i, w] of writes.entries()) {
      const b = built[i];
      if ('delete' in w) input += `delete ${w.ref}\n`;
      else input += `update ${w.ref} ${b!.commit}\n`;
      if (b?.scratchRef) input += `delete ${b.scratchRef}\n`;
    }
    const r = await git(['update-ref', '--stdin'], { cwd: this.gitDir, input, allowFailure: true });
    if (r.code !== 0) await this.dropScratch(built);
  }

  private async dropScratch(built: Array<{ commit: string; scratchRef?: string } | undefined>): Promise<void> {
    const input = built.filter((b) => b?.scratchRef).map((b) => `delete ${b!.scratchRef}\n`).join('');
    if (input) await git(['update-ref', '--stdin'], { cwd: this.gitDir, input, allowFailure: true });
  }

  /** fast-import and fetch leave small packs and loose objects; let git consolidate, in the background, once they pile up. */
  private maybeGc(): void {
    if (!gcLikelyDue(this.gitDir)) return;
    try {
      const child = spawn('git', ['gc', '--auto', '--quiet'], { cwd: this.gitDir, detached: true, stdio: 'ignore' });
      child.on('error', () => undefined);
      child.unref();
    } catch {
      // gc is an optimisation only.
    }
  }

  close(): void {
    this.cache?.save();
    this.reader.close();
  }
}

/**
 * Whether `git gc --auto` would find work, judged the way git does (packs
 * against gc.autoPackLimit, loose objects sampled from objects/17), at half
 * git's default thresholds. Plumbing writes never trigger gc themselves, and
 * reads slow down as packs pile up; a readdir is far cheaper than starting gc
 * after every write.
 */
export function gcLikelyDue(gitDir: string): boolean {
  try {
    const packs = readdirSync(path.join(gitDir, 'objects', 'pack')).filter((f) => f.endsWith('.pack')).length;
    if (packs >= 25) return true;
    const sample = existsSync(path.join(gitDir, 'objects', '17')) ? readdirSync(path.join(gitDir, 'objects', '17')).length : 0;
    return sample * 256 >= 3350;
  } catch {
    return true;
  }
}

/**
 * The git dir of a registry path without spawning git for the usual layouts
 * (a bare repository, or a work tree with .git); git decides the rest.
 */
async function findGitDir(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  if (existsSync(path.join(abs, 'HEAD')) && existsSync(path.join(abs, 'objects')) && existsSync(path.join(abs, 'refs'))) return abs;
  const dotGit = path.join(abs, '.git');
  if (existsSync(path.join(dotGit, 'HEAD')) && statSync(dotGit).isDirectory()) return dotGit;
  const r = await git(['rev-parse', '--absolute-git-dir'], { cwd: abs, allowFailure: true });
  if (r.code !== 0) throw new RegistryError(`${dir} is not a git repository`, 'point --registry at a Tessera registry');
  return r.stdout.trim();
}

/** Clone a shared registry into the cache atomically: clone beside, then rename. */
export async function cloneInto(url: string, dir: string): Promise<void> {
  mkdirSync(path.dirname(dir), { recursive: true });
  removeDeadClones(dir);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  let r;
  try {
    r = await git(['clone', '--bare', '--quiet', '--no-tags', url, tmp], { cwd: path.dirname(dir), allowFailure: true, network: { url } });
  } finally {
    if (r?.code !== 0) rmSync(tmp, { recursive: true, force: true });
  }
  if (r.code !== 0) throw new RegistryError(`cannot reach the registry remote ${url}: ${firstLine(r.stderr)}`, 'check the URL and your network, then retry');
  // Bare clones map refs 1:1 already; fetches pass explicit refspecs.
  await git(['config', '--unset-all', 'remote.origin.fetch'], { cwd: tmp, allowFailure: true });
  try {
    renameSync(tmp, dir);
  } catch {
    // Another process cloned first; theirs is as good as ours.
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Half-made clones beside `dir` of processes killed mid-clone (a signal ends us before the cleanup above runs). */
function removeDeadClones(dir: string): void {
  const prefix = `${path.basename(dir)}.tmp-`;
  try {
    for (const name of readdirSync(path.dirname(dir))) {
      const pid = name.startsWith(prefix) ? /^(\d+)-\d+$/.exec(name.slice(prefix.length))?.[1] : undefined;
      if (pid !== undefined && processGone(Number(pid))) rmSync(path.join(path.dirname(dir), name), { recursive: true, force: true });
    }
  } catch {
    // Only litter; the clone itself decides.
  }
}

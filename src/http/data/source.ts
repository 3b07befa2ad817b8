/**
 * The UI's connection to the registry: keeps the clone fresh (a fetch when
 * a page loads, at most once per interval), and caches the parsed registry
 * index and audit log keyed by main's commit id. Open proposals live on
 * branches and ack refs, which move without main moving, so they are read
 * on every request (one for-each-ref plus one small read per proposal).
 */
import type { AppContext } from '../../app/context.js';
import { readLog, type LogEntry } from '../../registry/log.js';
import { MAIN_REF } from '../../core/paths.js';
import type { ProposalState } from '../../app/proposal-state.js';
import { git } from '../../registry/git.js';
import { buildIndex, parseTreeChanges, pathspecsFor, updateIndex, type RegistryIndex } from './index.js';

/** Above this many changed files, re-list the whole registry instead of patching the index. */
const INCREMENTAL_MAX_FILES = 2000;
import { loadOpenStates } from './proposals.js';

export interface SourceOptions {
  /** Minimum time between two fetches of a remote registry. */
  fetchIntervalMs: number;
}

export class RegistrySource {
  private lastFetch = 0;
  private fetching: Promise<void> | undefined;
  private lastIndex: RegistryIndex | undefined;
  private indexCache: { commit: string | undefined; promise: Promise<RegistryIndex> } | undefined;
  private logCache: { commit: string | undefined; promise: Promise<LogEntry[]> } | undefined;
  /** The last fetch failure, shown as a banner until a fetch succeeds. */
  fetchProblem: string | undefined;
  private actor: { email?: string; problem?: string } | undefined;
  /** main's commit, resolved once per request (refresh() starts a new one). */
  private head: Promise<string | undefined> | undefined;

  constructor(readonly ctx: AppContext, private readonly options: SourceOptions) {
    ctx.repo.useParseCache();
  }

  get remote(): string | undefined {
    return this.ctx.repo.remote;
  }

  /** Fetch a shared registry again if the last fetch is older than the interval. */
  async refresh(): Promise<void> {
    this.head = undefined;
    if (!this.ctx.repo.remote) return;
    if (this.fetching) return this.fetching;
    if (Date.now() - this.lastFetch < this.options.fetchIntervalMs) return;
    this.fetching = (async () => {
      try {
        await this.ctx.repo.sync(true);
        this.fetchProblem = undefined;
      } catch (e) {
        this.fetchProblem = `could not fetch ${this.ctx.repo.remote}: ${(e as Error).message}; showing the last fetched state`;
      } finally {
        this.lastFetch = Date.now();
        this.fetching = undefined;
      }
    })();
    return this.fetching;
  }

  async mainCommit(): Promise<string | undefined> {
    if (!this.head) {
      const p = this.ctx.repo.head(MAIN_REF);
      this.head = p;
      p.catch(() => {
        if (this.head === p) this.head = undefined;
      });
    }
    return this.head;
  }

  /** After a write: the next read resolves main again. */
  invalidate(): void {
    this.head = undefined;
  }

  /** Build the index in the background so the first page is quick (errors surface on that page). */
  prewarm(): void {
    this.index().catch(() => undefined);
  }

  async index(): Promise<RegistryIndex> {
    const commit = await this.mainCommit();
    if (!this.indexCache || this.indexCache.commit !== commit) {
      const previous = this.lastIndex;
      const promise = this.buildIndexAt(commit, previous);
      promise.then((ix) => (this.lastIndex = ix)).catch(() => undefined);
      this.indexCache = { commit, promise };
      promise.catch(() => {
        if (this.indexCache?.promise === promise) this.indexCache = undefined;
      });
    }
    return this.indexCache.promise;
  }

  /** Apply main's changes since the last index when they are few; else read the whole registry (parse cache helps). */
  private async buildIndexAt(commit: string | undefined, previous: RegistryIndex | undefined): Promise<RegistryIndex> {
    if (previous?.commit && commit) {
      const r = await git(['diff-tree', '-r', '--no-renames', '--name-status', previous.commit, commit], { cwd: this.ctx.repo.gitDir, allowFailure: true });
      const lines = r.stdout.split('\n').length;
      if (r.code === 0 && lines <= INCREMENTAL_MAX_FILES) {
        const changes = parseTreeChanges(r.stdout);
        const specs = pathspecsFor(changes);
        if (specs.length === 0) return { ...previous, commit };
        return updateIndex(previous, await this.ctx.repo.snapshotAt(commit, specs), changes);
      }
    }
    return buildIndex(await this.ctx.repo.snapshotAt(commit), previous);
  }

  async log(): Promise<LogEntry[]> {
    const commit = await this.mainCommit();
    if (!this.logCache || this.logCache.commit !== commit) {
      const promise = readLog(this.ctx.repo.gitDir, commit ? { ref: commit } : {});
      this.logCache = { commit, promise };
    }
    return this.logCache.promise;
  }

  /** The newest events only (the overview): one short git log, not the whole history. */
  async recentEvents(n: number): Promise<LogEntry[]> {
    const commit = await this.mainCommit();
    const cached = this.logCache;
    if (cached && cached.commit === commit) return (await cached.promise).slice(0, n);
    return readLog(this.ctx.repo.gitDir, commit ? { ref: commit, maxCount: n } : { maxCount: n });
  }

  async openProposals(): Promise<ProposalState[]> {
    return loadOpenStates(this.ctx);
  }

  /** The git identity the UI acts as; undefined (with the reason) when there is none. */
  async actorEmail(): Promise<{ email?: string; problem?: string }> {
    if (!this.actor) {
      try {
        this.actor = { email: (await this.ctx.identity()).email };
      } catch (e) {
        this.actor = { problem: (e as { oneLine?: () => string }).oneLine?.() ?? String(e) };
      }
    }
    return this.actor;
  }
}

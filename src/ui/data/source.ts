/**
 * The UI's connection to the registry: keeps the clone fresh (a fetch when
 * a page loads, at most once per interval), and caches the parsed registry
 * index and audit log keyed by main's commit id. Open proposals live on
 * branches and ack refs, which move without main moving, so they are read
 * on every request (one for-each-ref plus one small read per proposal).
 */
import type { CommandContext } from '../../cli/context.js';
import { readLog, type LogEntry } from '../../registry/log.js';
import { MAIN_REF } from '../../core/paths.js';
import type { ProposalState } from '../../cli/proposal-flow.js';
import { buildIndex, type RegistryIndex } from './index.js';
import { loadOpenStates } from './proposals.js';

export interface SourceOptions {
  /** Minimum time between two fetches of a remote registry. */
  fetchIntervalMs: number;
}

export class RegistrySource {
  private lastFetch = 0;
  private fetching: Promise<void> | undefined;
  private indexCache: { commit: string | undefined; promise: Promise<RegistryIndex> } | undefined;
  private logCache: { commit: string | undefined; promise: Promise<LogEntry[]> } | undefined;
  /** The last fetch failure, shown as a banner until a fetch succeeds. */
  fetchProblem: string | undefined;
  private actor: { email?: string; problem?: string } | undefined;

  constructor(readonly ctx: CommandContext, private readonly options: SourceOptions) {
    ctx.repo.useParseCache();
  }

  get remote(): string | undefined {
    return this.ctx.repo.remote;
  }

  /** Fetch a shared registry again if the last fetch is older than the interval. */
  async refresh(): Promise<void> {
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
    return this.ctx.repo.head(MAIN_REF);
  }

  async index(): Promise<RegistryIndex> {
    const commit = await this.mainCommit();
    if (!this.indexCache || this.indexCache.commit !== commit) {
      const promise = this.ctx.repo.snapshotAt(commit).then(buildIndex);
      this.indexCache = { commit, promise };
      promise.catch(() => {
        if (this.indexCache?.promise === promise) this.indexCache = undefined;
      });
    }
    return this.indexCache.promise;
  }

  async log(): Promise<LogEntry[]> {
    const commit = await this.mainCommit();
    if (!this.logCache || this.logCache.commit !== commit) {
      const promise = readLog(this.ctx.repo.gitDir, commit ? { ref: commit } : {});
      this.logCache = { commit, promise };
    }
    return this.logCache.promise;
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

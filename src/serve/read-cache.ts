/**
 * The server's reads without a git process per request. Every read route and
 * the key check go through this view of the Repository (writes never do:
 * they plan on the real one, fresh):
 *
 * - main's tree is listed once per commit (one `ls-tree -r`) and split into
 *   one snapshot per asset directory and per top-level entry; a read limited
 *   to one of those (the asset page's `assets/<id>`, the key check's `keys`)
 *   is then answered from memory. A new commit's listing starts from the
 *   previous one and re-lists only the parts its changes touched. Until the listing of a new commit is ready
 *   such a read runs as before (its own `ls-tree`), so a write never makes
 *   reads wait for the whole listing.
 * - main's head is one cat-file lookup shared by the reads that arrive while
 *   it is in flight;
 * - ref listings (open proposals, acks: they move without main moving) are
 *   kept until main moves, this server writes, or `refsTtlMs` passes, so
 *   another writer's new ack shows within that time.
 */
import { MAIN_REF } from '../core/paths.js';
import type { Repository } from '../registry/repository.js';
import type { Snapshot } from '../registry/snapshot.js';
import { git } from '../registry/git.js';

/** Above this many changed parts between two listed commits, list the whole tree again. */
const INCREMENTAL_MAX_PARTS = 500;

export interface ReadCacheOptions {
  /** How long a ref listing may be reused when neither main nor this server moved (default 1000 ms). */
  refsTtlMs?: number;
  now?: () => number;
}

/** The part a path belongs to: `assets/<id>` for an asset's files, else its top-level entry (`keys`, `teams`, `tessera.yaml`). */
function partOf(path: string): string {
  if (path.startsWith('assets/')) {
    const slash = path.indexOf('/', 7);
    return slash < 0 ? path : path.slice(0, slash);
  }
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(0, slash);
}

export class ReadCache {
  /** main's tree at one commit, split into parts; `parts` is set once the listing is built. */
  private listing: { commit: string; parts?: Map<string, Snapshot> } | undefined;
  private readonly refListings = new Map<string, { at: number; head: string | undefined; generation: number; value: Promise<Map<string, string>> }>();
  private generation = 0;
  /** main's head as one lookup in flight, shared by the reads that ask meanwhile (a lookup is a round trip to cat-file). */
  private headLookup: Promise<string | undefined> | undefined;
  private readonly ttl: number;
  private readonly now: () => number;
  readonly stats = { hits: 0, misses: 0, listings: 0 };

  constructor(
    private readonly repo: Repository,
    options: ReadCacheOptions = {},
  ) {
    this.ttl = options.refsTtlMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** After a write through this server (or a fetch): ref listings and main's head are read again. */
  invalidate(): void {
    this.generation++;
    this.headLookup = undefined;
  }

  /**
   * main's head. Reads arriving while a lookup is in flight share it: what
   * they see is at most one round trip old. A write through this server drops
   * the shared lookup before its reply goes out, so its client's next read
   * sees the write.
   */
  head(): Promise<string | undefined> {
    if (!this.headLookup) {
      const lookup = this.repo.head(MAIN_REF);
      this.headLookup = lookup;
      const done = () => {
        if (this.headLookup === lookup) this.headLookup = undefined;
      };
      lookup.then(done, done);
    }
    return this.headLookup;
  }

  view(): Repository {
    const repo = this.repo;
    const own: Partial<Repository> = {
      snapshot: async (ref = MAIN_REF, pathspecs?: string[]) => {
        if (ref !== MAIN_REF) return repo.snapshot(ref, pathspecs);
        await repo.sync();
        return this.snapshotAt(await this.head(), pathspecs);
      },
      head: (ref = MAIN_REF) => (ref === MAIN_REF ? this.head() : repo.head(ref)),
      snapshotAt: (commit: string | undefined, pathspecs?: string[]) => this.snapshotAt(commit, pathspecs),
      refs: (prefix: string) => this.refs(prefix),
    };
    return new Proxy(repo, {
      get(target, prop) {
        if (Object.hasOwn(own, prop)) return own[prop as keyof Repository];
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }

  private async snapshotAt(commit: string | undefined, pathspecs: string[] | undefined): Promise<Snapshot> {
    if (commit === undefined) return this.repo.snapshotAt(commit, pathspecs);
    if (!pathspecs || pathspecs.length === 0) return this.full(commit);
    const key = pathspecs.length === 1 ? pathspecs[0]!.replace(/\/+$/, '') : undefined;
    if (key !== undefined && partOf(key) === key) {
      const part = this.listing?.commit === commit ? this.listing.parts?.get(key) : undefined;
      if (part) {
        this.stats.hits++;
        return part;
      }
      this.listAhead(commit);
    }
    // Not one part, the listing still being built, or nothing there (no such asset): its own ls-tree, as without the cache.
    this.stats.misses++;
    return this.repo.snapshotAt(commit, pathspecs);
  }

  /** The whole tree at `commit` (the index is built from it), its parts kept for the limited reads. */
  private async full(commit: string): Promise<Snapshot> {
    const snap = await this.repo.snapshotAt(commit);
    if (this.listing?.commit !== commit || !this.listing.parts) {
      this.stats.listings++;
      this.listing = { commit, parts: snap.split(partOf) };
    }
    return snap;
  }

  /** List `commit` in the background; the reads that wait for nothing meanwhile take their own way. */
  private listAhead(commit: string): void {
    if (this.listing?.commit === commit) return;
    const previous = this.listing?.parts ? { commit: this.listing.commit, parts: this.listing.parts } : undefined;
    const listing: { commit: string; parts?: Map<string, Snapshot> } = { commit };
    this.listing = listing;
    this.stats.listings++;
    this.partsAt(commit, previous).then(
      (parts) => {
        listing.parts = parts;
      },
      () => {
        if (this.listing === listing) this.listing = undefined;
      },
    );
  }

  /**
   * The parts at `commit`: from the previous commit's, re-listing only the
   * parts a few changes touched (one `diff-tree`, one limited `ls-tree`), else
   * the whole tree. A part nothing changed keeps the snapshot it was listed
   * in: same files, an older `commit` (reads never look at it).
   */
  private async partsAt(commit: string, previous: { commit: string; parts: Map<string, Snapshot> } | undefined): Promise<Map<string, Snapshot>> {
    if (previous) {
      const r = await git(['diff-tree', '-r', '--no-renames', '--name-only', '-z', previous.commit, commit], { cwd: this.repo.gitDir, allowFailure: true });
      const changed = new Set(r.stdout.split('\0').filter(Boolean).map(partOf));
      if (r.code === 0 && changed.size <= INCREMENTAL_MAX_PARTS) {
        const fresh = changed.size > 0 ? (await this.repo.snapshotAt(commit, [...changed])).split(partOf) : new Map<string, Snapshot>();
        const parts = new Map(previous.parts);
        for (const key of changed) {
          const part = fresh.get(key);
          if (part) parts.set(key, part);
          else parts.delete(key);
        }
        return parts;
      }
    }
    return (await this.repo.snapshotAt(commit)).split(partOf);
  }

  private async refs(prefix: string): Promise<Map<string, string>> {
    const head = await this.head();
    const hit = this.refListings.get(prefix);
    if (hit && hit.head === head && hit.generation === this.generation && this.now() - hit.at < this.ttl) return hit.value;
    const value = this.repo.refs(prefix);
    this.refListings.set(prefix, { at: this.now(), head, generation: this.generation, value });
    value.catch(() => this.refListings.delete(prefix));
    return value;
  }
}

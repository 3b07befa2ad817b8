/**
 * Group commit for `tessera serve`: concurrent API writes to different
 * assets share one fast-import and one compare-and-swap (one push for a
 * remote registry) instead of one each.
 *
 * Planning stays per request and in app/, unchanged: each request gets a view
 * of the Repository (`view()`) that records what its planner reads of main.
 * A plan that writes one commit on main, and read main only through
 * pathspec-limited snapshots, joins the queue. One batch at a time is landed:
 * every queued plan whose reads no earlier write touched (the batch's own,
 * and any since the head it planned on) gets its own commit, each the parent
 * of the next, with its own message, trailers, author and key; the chain's
 * tip is published with one compare-and-swap against the head it was built
 * on. So `log`, `verify` and the notification log see exactly the commits the
 * requests would have made one after another, and each request gets its own
 * commit id, outcome and events. A plan that cannot join (several refs, a
 * whole-registry read, a conflict with the batch) or a batch whose
 * compare-and-swap loses runs through `Repository.transact` as it would
 * without group commit: re-planned on the newest state, per request.
 */
import { MAIN_REF } from '../core/paths.js';
import { wantsSignedCommits, writeCommits, type CommitRequest, type FileChange, type Identity } from '../registry/commit-writer.js';
import { git } from '../registry/git.js';
import type { Plan, Repository, TransactOptions, TransactOutcome } from '../registry/repository.js';

/** What one planner read of main. */
class Reads {
  /** Read something of main no pathspec bounds (a whole tree, main's head): the plan depends on all of main. */
  unbounded = false;
  readonly commits = new Set<string | undefined>();
  readonly specs: string[] = [];

  main(commit: string | undefined, pathspecs: string[] | undefined): void {
    this.commits.add(commit);
    if (!pathspecs || pathspecs.length === 0) this.unbounded = true;
    else this.specs.push(...pathspecs);
  }
}

interface Pending {
  base: string;
  reads: string[];
  changes: FileChange[];
  message: string;
  author: Identity;
  when: () => number;
  /** The request's commit once it landed; undefined: re-plan it per request. */
  settle: (commit: string | undefined) => void;
  fail: (e: unknown) => void;
}

/** Whether `path` is (under) one of `specs`: ls-tree pathspecs match whole path components. */
function touches(paths: Iterable<string>, specs: readonly string[]): boolean {
  for (const p of paths) for (const s of specs) if (p === s || p.startsWith(s.endsWith('/') ? s : `${s}/`) || s.startsWith(`${p}/`)) return true;
  return false;
}

/** The compare-and-swap of a batch lost to another writer. */
class LostRace extends Error {}

/** Landed commits remembered (child -> parent and paths) for rebasing plans made on an older head. */
const MAX_REMEMBERED = 4096;
const MAX_BATCH = 64;

export interface GroupCommitStats {
  batches: number;
  commits: number;
  replanned: number;
}

export class GroupCommitter {
  private readonly queue: Pending[] = [];
  private landing = false;
  private readonly landed = new Map<string, { parent: string; paths: string[] }>();
  private signing: Promise<boolean> | undefined;
  readonly stats: GroupCommitStats = { batches: 0, commits: 0, replanned: 0 };

  constructor(private readonly repo: Repository) {}

  /** The Repository as one request's workflows see it: the same in everything but `transact`, which may join a batch. */
  view(): Repository {
    const repo = this.repo;
    let reads: Reads | undefined;
    const transact = <R>(planner: (attempt: number) => Promise<Plan<R>>, options: TransactOptions): Promise<TransactOutcome<R>> =>
      this.transact(planner, options, (r) => (reads = r));
    const tracked: Partial<Repository> = {
      snapshot: async (ref = MAIN_REF, pathspecs?: string[]) => {
        const snap = await repo.snapshot(ref, pathspecs);
        if (ref === MAIN_REF) reads?.main(snap.commit, pathspecs);
        return snap;
      },
      snapshotAt: async (commit: string | undefined, pathspecs?: string[]) => {
        reads?.main(commit, pathspecs);
        return repo.snapshotAt(commit, pathspecs);
      },
      head: async (ref = MAIN_REF) => {
        if (ref === MAIN_REF && reads) reads.unbounded = true;
        return repo.head(ref);
      },
      refs: async (prefix: string) => {
        if (MAIN_REF.startsWith(prefix) && reads) reads.unbounded = true;
        return repo.refs(prefix);
      },
      transact,
    };
    return new Proxy(repo, {
      get(target, prop) {
        if (Object.hasOwn(tracked, prop)) return tracked[prop as keyof Repository];
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }

  private async transact<R>(planner: (attempt: number) => Promise<Plan<R>>, options: TransactOptions, track: (r: Reads | undefined) => void): Promise<TransactOutcome<R>> {
    this.signing ??= wantsSignedCommits();
    // fast-import cannot sign, and a chain re-signed commit by commit would cost what batching saves.
    if (await this.signing.catch(() => true)) return this.repo.transact(planner, options);
    const reads = new Reads();
    track(reads);
    let plan: Plan<R>;
    try {
      plan = await planner(1);
    } finally {
      track(undefined);
    }
    const joined = this.candidate(plan, reads);
    if (joined) {
      const commit = await new Promise<string | undefined>((settle, fail) => this.enqueue({ ...joined, author: options.author, when: options.when, settle, fail }));
      if (commit) return { result: plan.result, commits: { [MAIN_REF]: commit }, attempts: 1, retries: 0 };
      this.stats.replanned++;
      return this.repo.transact(planner, options);
    }
    // Not batchable: the plan just made is the first attempt's (nothing was written since it read).
    let first: Plan<R> | undefined = plan;
    return this.repo.transact(async (attempt) => {
      if (first && attempt === 1) {
        const p = first;
        first = undefined;
        return p;
      }
      return planner(attempt);
    }, options);
  }

  /** The plan as a batch member: one new commit on main, on the head its bounded reads saw. */
  private candidate<R>(plan: Plan<R>, reads: Reads): Pick<Pending, 'base' | 'reads' | 'changes' | 'message'> | undefined {
    if (plan.writes.length !== 1 || reads.unbounded) return undefined;
    const w = plan.writes[0]!;
    if (w.ref !== MAIN_REF || !('commit' in w) || w.expectedOld === undefined) return undefined;
    if (w.commit.parents.length !== 1 || w.commit.parents[0] !== w.expectedOld) return undefined;
    if (w.commit.changes.length === 0 || [...reads.commits].some((c) => c !== w.expectedOld)) return undefined;
    const message = w.commit.message.endsWith('\n') ? w.commit.message : w.commit.message + '\n';
    return { base: w.expectedOld, reads: reads.specs, changes: w.commit.changes, message };
  }

  private enqueue(p: Pending): void {
    this.queue.push(p);
    // The next turn of the event loop: requests arriving together land together.
    if (!this.landing) {
      this.landing = true;
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.land(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.landing = false;
    }
  }

  /** Paths our own landed commits changed from `base` to `head`; undefined when another writer's commit is between them. */
  private changedSince(base: string, head: string): string[] | undefined {
    const paths: string[] = [];
    for (let at = head, steps = 0; at !== base; steps++) {
      const step = this.landed.get(at);
      if (!step || steps > MAX_REMEMBERED) return undefined;
      paths.push(...step.paths);
      at = step.parent;
    }
    return paths;
  }

  private async land(batch: Pending[]): Promise<void> {
    let members: Pending[] = [];
    try {
      const head = await this.repo.head(MAIN_REF);
      if (head === undefined) {
        for (const m of batch) m.settle(undefined);
        return;
      }
      const written: string[] = [];
      for (const m of batch) {
        const since = this.changedSince(m.base, head);
        const mine = m.changes.map((c) => c.path);
        if (!since || touches([...since, ...written], m.reads) || touches(mine, [...since, ...written])) m.settle(undefined);
        else {
          members.push(m);
          written.push(...mine);
        }
      }
      if (members.length === 0) return;
      const requests: CommitRequest[] = members.map((m, i) => ({ parent: i === 0 ? head : `:${i}`, changes: m.changes, message: m.message, author: m.author, when: m.when() }));
      const built = await writeCommits(this.repo.gitDir, requests);
      const tip = built[built.length - 1]!.commit;
      try {
        // The tip on main, compare-and-swap against the head the chain is built on: Repository's own local transaction or leased push.
        await this.repo.transact(
          async (attempt) => {
            if (attempt > 1) throw new LostRace();
            return { writes: [{ ref: MAIN_REF, expectedOld: head, target: tip }], result: undefined };
          },
          { author: members[0]!.author, when: members[0]!.when },
        );
      } catch (e) {
        if (!(e instanceof LostRace)) throw e;
        for (const m of members) m.settle(undefined);
        members = [];
        return;
      } finally {
        await git(['update-ref', '--stdin'], { cwd: this.repo.gitDir, input: built.map((b) => `delete ${b.scratchRef}\n`).join(''), allowFailure: true });
      }
      this.stats.batches++;
      this.stats.commits += members.length;
      let parent = head;
      members.forEach((m, i) => {
        const commit = built[i]!.commit;
        this.landed.set(commit, { parent, paths: m.changes.map((c) => c.path) });
        parent = commit;
        m.settle(commit);
      });
      members = [];
      while (this.landed.size > MAX_REMEMBERED) this.landed.delete(this.landed.keys().next().value!);
    } catch (e) {
      for (const m of members) m.fail(e);
    }
  }
}

/**
 * The events of notifications, read back from git: every commit reachable
 * from main, the open proposal branches and the ack refs (merged acks stay
 * reachable as parents of their merge commit), with trailers and changed
 * paths, in one `git log`; and the files at an event's commit that name its
 * audience. Delivery records are read from their own ref.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import nodePath from 'node:path';
import { git } from './git.js';
import type { Repository } from './repository.js';
import type { Snapshot } from './snapshot.js';
import { parseCommitObject, parseTrailerLines } from '../core/commit-message.js';
import { ACK_REF_PREFIX, PROPOSAL_BRANCH_PREFIX, proposalPath } from '../core/proposal.js';
import { assetPath, consumersDir, DELIVERIES_REF, MAIN_REF, versionPath } from '../core/paths.js';
import { assetSchema, consumerSchema, deliverySchema, proposalSchema, versionSchema, type Delivery } from '../core/model.js';
import { qualityRunPath, qualityRunSchema } from '../core/quality.js';
import { needsChangedPaths, type EventCommit, type EventFacts, type EventStub } from '../core/notify/events.js';

/**
 * Commits from `since` on (by committer date; the caller filters by author
 * time). Changed paths are read only for the commits whose events need them
 * (`needsChangedPaths`): a tree diff per commit costs ~0.6 ms at 10,000
 * assets, which over a busy day's history was most of a `notify` run.
 */
export async function readEventCommits(repo: Repository, since?: Date): Promise<EventCommit[]> {
  await repo.sync();
  const args = [
    'log',
    '--date-order',
    '--reverse',
    '--format=%x1e%H%x1f%aI%x1f%ae%x1f%(trailers:only,unfold)',
    ...(since ? [`--since=${since.toISOString()}`] : []),
    MAIN_REF,
    `--glob=${PROPOSAL_BRANCH_PREFIX}*`,
    `--glob=${ACK_REF_PREFIX}*`,
    '--',
  ];
  const r = await git(args, { cwd: repo.gitDir, allowFailure: true });
  if (r.code !== 0) return [];
  const out: EventCommit[] = [];
  for (const rec of r.stdout.split('\x1e')) {
    if (!rec.trim()) continue;
    const [commit, at, actor, trailerText] = rec.split('\x1f') as [string, string, string, string];
    const trailers = parseTrailerLines(trailerText ?? '');
    if (!trailers.has('Tessera-Event')) continue;
    out.push({ commit, at, actor, trailers, changed: [] });
  }
  const wanted = out.filter((c) => needsChangedPaths(c.trailers));
  if (wanted.length === 0) return out;
  // The same diff `git log --name-status` shows (none for a merge, all files for a root), for just these commits.
  const d = await git(['log', '--stdin', '--no-walk=unsorted', '--name-status', '--no-renames', '--format=%x1e%H'], { cwd: repo.gitDir, input: wanted.map((c) => c.commit).join('\n') + '\n' });
  const byCommit = new Map(wanted.map((c) => [c.commit, c]));
  for (const rec of d.stdout.split('\x1e')) {
    const [commit, ...lines] = rec.split('\n');
    const c = commit ? byCommit.get(commit.trim()) : undefined;
    if (!c) continue;
    for (const line of lines) {
      const tab = line.indexOf('\t');
      if (tab > 0) c.changed.push({ status: line.slice(0, tab), path: line.slice(tab + 1) });
    }
  }
  return out;
}

/**
 * The event commits among `commits` (a write's own, Repository.publishedCommits),
 * read through the running cat-file process instead of a `git log`: what a
 * process that just wrote needs to deliver inline. Undefined when one of them
 * needs its changed paths (`needsChangedPaths`): the caller then reads the log.
 */
export async function readOwnEventCommits(repo: Repository, commits: readonly string[]): Promise<EventCommit[] | undefined> {
  const out: EventCommit[] = [];
  for (const commit of commits) {
    const text = await repo.commitText(commit);
    const parsed = text === undefined ? undefined : parseCommitObject(text);
    if (!parsed || !parsed.trailers.has('Tessera-Event')) continue;
    if (needsChangedPaths(parsed.trailers)) return undefined;
    out.push({ commit, at: parsed.authorIso, actor: parsed.authorEmail, trailers: parsed.trailers, changed: [] });
  }
  return out;
}

/** Read what an event's audience and payload need, from its own commit (so a later change never rewrites who was told). */
export async function readEventFacts(repo: Repository, s: EventStub, uiUrl: string | undefined): Promise<EventFacts> {
  const paths = [
    ...(s.proposal ? [proposalPath(s.proposal)] : []),
    ...(s.asset ? [assetPath(s.asset), consumersDir(s.asset)] : []),
    ...(s.asset && s.version ? [versionPath(s.asset, s.version)] : []),
    ...(s.invocation ? [qualityRunPath(s.invocation)] : []),
  ];
  // A handful of paths: listed through cat-file, not an ls-tree process per event.
  const snap: Snapshot = await repo.snapshotAtPaths(s.commit, paths);
  const proposal = s.proposal ? await snap.read(proposalPath(s.proposal), proposalSchema) : undefined;
  const asset = s.asset ?? proposal?.asset;
  const facts: EventFacts = { proposal, uiUrl };
  if (s.asset) {
    facts.owner = (await snap.read(assetPath(s.asset), assetSchema))?.owner;
    const consumers = await snap.readMany(snap.list(consumersDir(s.asset)).filter((p) => p.endsWith('.yaml')), consumerSchema);
    facts.consumers = consumers.map((c) => c.team).sort();
    if (s.version) facts.version = await snap.read(versionPath(s.asset, s.version), versionSchema);
  }
  if (s.invocation && asset) {
    const run = await snap.read(qualityRunPath(s.invocation), qualityRunSchema);
    facts.failures = (run?.events ?? []).filter((e) => e.asset === asset && (e.status === 'fail' || e.status === 'error'));
  }
  return facts;
}

export interface DeliveryState {
  /** The deliveries ref's commit (undefined: no delivery recorded yet). */
  commit: string | undefined;
  snap: Snapshot;
}

/** The deliveries ref: every record, or only those at `paths` (a write's own deliveries, without listing them all). */
export async function readDeliveryState(repo: Repository, paths?: readonly string[]): Promise<DeliveryState> {
  const snap = paths ? await repo.snapshotPaths(DELIVERIES_REF, paths) : await repo.snapshot(DELIVERIES_REF);
  return { commit: snap.commit, snap };
}

export async function readDelivery(state: DeliveryState, path: string): Promise<Delivery | undefined> {
  return state.snap.read(path, deliverySchema);
}

/** Every delivery record about one proposal: who was told of it, through which channel, and when. */
export async function deliveriesOfProposal(repo: Repository, proposalId: string): Promise<Delivery[]> {
  const state = await readDeliveryState(repo);
  if (!state.commit) return [];
  const records = await state.snap.readMany(state.snap.list('deliveries').filter((p) => p.endsWith('.yaml')), deliverySchema);
  return records.filter((d): d is Delivery => d !== undefined && d.proposal === proposalId).sort((a, b) => (a.last_attempt_at < b.last_attempt_at ? -1 : a.last_attempt_at > b.last_attempt_at ? 1 : a.channel.localeCompare(b.channel)));
}

/**
 * Each event's audience, keyed by event id, kept in the git dir between runs
 * (like the parse cache). An event id names a commit, and the audience comes
 * from the files at that commit only, so an entry is never stale. It lets
 * `notify` skip reading the files of events every channel wanting them has
 * settled, above all the many no channel wants (which have no record).
 * `null`: the event turned out to say nothing (a quality run that passed).
 */
export class AudienceCache {
  private readonly used = new Map<string, string[] | null>();
  private dirty = false;

  private constructor(private readonly file: string, private readonly entries: Map<string, string[] | null>) {}

  static open(repo: Repository): AudienceCache {
    const file = nodePath.join(repo.gitDir, 'tessera', 'tessera-notify-audience-v1.json');
    let entries = new Map<string, string[] | null>();
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      // Only cache-shaped entries: a damaged file costs re-reading, never a wrong audience.
      for (const [k, v] of Object.entries(data)) if (v === null || (Array.isArray(v) && v.every((t) => typeof t === 'string'))) entries.set(k, v as string[] | null);
    } catch {
      entries = new Map();
    }
    return new AudienceCache(file, entries);
  }

  get(eventId: string): string[] | null | undefined {
    const v = this.entries.get(eventId);
    if (v !== undefined) this.used.set(eventId, v);
    return v;
  }

  set(eventId: string, audience: string[] | null): void {
    if (this.entries.get(eventId) === undefined) this.dirty = true;
    this.entries.set(eventId, audience);
    this.used.set(eventId, audience);
  }

  /** Write back the entries this run looked at (events older than every channel drop out). */
  save(): void {
    if (!this.dirty && this.used.size * 2 >= this.entries.size) return;
    try {
      mkdirSync(nodePath.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.used)));
      renameSync(tmp, this.file);
    } catch {
      // A read-only registry still notifies, just without the cache.
    }
    this.dirty = false;
  }
}

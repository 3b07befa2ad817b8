/**
 * The events of notifications, read back from git: every commit reachable
 * from main, the open proposal branches and the ack refs (merged acks stay
 * reachable as parents of their merge commit), with trailers and changed
 * paths, in one `git log`; and the files at an event's commit that name its
 * audience. Delivery records are read from their own ref.
 */
import { git } from './git.js';
import type { Repository } from './repository.js';
import type { Snapshot } from './snapshot.js';
import { parseTrailerLines } from '../core/commit-message.js';
import { ACK_REF_PREFIX, PROPOSAL_BRANCH_PREFIX, proposalPath } from '../core/proposal.js';
import { assetPath, consumersDir, DELIVERIES_REF, MAIN_REF, versionPath } from '../core/paths.js';
import { assetSchema, consumerSchema, deliverySchema, proposalSchema, versionSchema, type Delivery } from '../core/model.js';
import { qualityRunPath, qualityRunSchema } from '../core/quality.js';
import type { EventCommit, EventFacts, EventStub } from '../core/notify/events.js';

/** Commits from `since` on (by committer date; the caller filters by author time). */
export async function readEventCommits(repo: Repository, since?: Date): Promise<EventCommit[]> {
  await repo.sync();
  const args = [
    'log',
    '--date-order',
    '--reverse',
    '--name-status',
    '--no-renames',
    '--format=%x1e%H%x1f%aI%x1f%ae%x1f%(trailers:only,unfold)%x1f',
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
    const [commit, at, actor, trailerText, rest] = rec.split('\x1f') as [string, string, string, string, string | undefined];
    const trailers = parseTrailerLines(trailerText ?? '');
    if (!trailers.has('Tessera-Event')) continue;
    const changed: EventCommit['changed'] = [];
    for (const line of (rest ?? '').split('\n')) {
      const tab = line.indexOf('\t');
      if (tab > 0) changed.push({ status: line.slice(0, tab), path: line.slice(tab + 1) });
    }
    out.push({ commit, at, actor, trailers, changed });
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
  const snap: Snapshot = await repo.snapshotAt(s.commit, paths);
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

export async function readDeliveryState(repo: Repository): Promise<DeliveryState> {
  const snap = await repo.snapshot(DELIVERIES_REF);
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

/**
 * From commits to NotificationEvents. A commit's Tessera-* trailers say what
 * happened; `eventsOfCommit` turns them into the events notifications speak
 * of (one commit may carry several: an expiry of many proposals, a dbt sync
 * publishing many assets), each with a stable id, and `buildEvent` adds the
 * audience and payload from the files at that commit. Pure.
 */
import { createHash } from 'node:crypto';
import type { NotificationEvent } from './types.js';
import { audienceOf, isNotifiedType, type NotifiedType } from './audience.js';
import type { ChangeRecord, Proposal, Version } from '../model.js';
import type { QualityEvent } from '../quality.js';

/** One commit as read from git: trailers and the paths it added or modified (A/M/D). */
export interface EventCommit {
  commit: string;
  /** ISO author time. */
  at: string;
  actor: string;
  trailers: Map<string, string[]>;
  changed: Array<{ status: string; path: string }>;
}

/** An event before its facts are read: what it is about, and its id. */
export interface EventStub {
  id: string;
  type: NotifiedType;
  commit: string;
  at: string;
  actor: string;
  asset?: string;
  version?: string;
  proposal?: string;
  team?: string;
  decision?: string;
  reason?: string;
  /** For quality.failed: the run file to read. */
  invocation?: string;
}

export function eventId(commit: string, type: string, subject: string): string {
  return `evt_${createHash('sha256').update(`${commit}\n${type}\n${subject}`).digest('hex').slice(0, 24)}`;
}

const ACK_TYPES: Record<string, NotifiedType> = { approve: 'proposal.acked', block: 'proposal.blocked', migrating: 'proposal.migrating' };

/** Whether `eventsOfCommit` looks at the commit's changed paths (so the reader fetches them only then). */
export function needsChangedPaths(trailers: ReadonlyMap<string, readonly string[]>): boolean {
  const event = trailers.get('Tessera-Event')?.[0];
  if (event === 'dbt.synced') return true;
  return (event === 'proposal.withdrawn' || event === 'proposal.expired') && !trailers.get('Tessera-Proposal')?.[0] && !trailers.get('Tessera-Closed-Proposals')?.[0];
}

export function eventsOfCommit(c: EventCommit): EventStub[] {
  const t = (k: string) => c.trailers.get(`Tessera-${k}`)?.[0];
  const trailer = t('Event');
  if (!trailer) return [];
  const assets = c.trailers.get('Tessera-Asset') ?? [];
  const base = { commit: c.commit, at: c.at, actor: t('Actor') ?? c.actor };
  const stub = (type: NotifiedType, about: Omit<EventStub, 'id' | 'type' | 'commit' | 'at' | 'actor'>): EventStub => ({
    id: eventId(c.commit, type, [about.proposal ?? '', about.asset ?? '', about.team ?? ''].join('/')),
    type,
    ...base,
    ...Object.fromEntries(Object.entries(about).filter(([, v]) => v !== undefined)),
  });
  const version = t('Version');
  const proposal = t('Proposal');
  const team = t('Team');
  const reason = t('Reason');
  switch (trailer) {
    case 'proposal.acked': {
      const type = ACK_TYPES[t('Decision') ?? 'approve'] ?? 'proposal.acked';
      return [stub(type, { asset: assets[0], version, proposal, team, decision: t('Decision') ?? 'approve' })];
    }
    case 'proposal.forced':
      return [stub('contract.forced', { asset: assets[0], version, proposal, reason })];
    case 'proposal.withdrawn':
    case 'proposal.expired': {
      // `expire` names its proposals only in the subject: the closed records the commit wrote say which.
      const written = c.changed.flatMap((ch) => (ch.status !== 'D' ? [/^proposals\/([^/]+)\.yaml$/.exec(ch.path)?.[1]] : [])).filter((x): x is string => x !== undefined);
      const ids = proposal ? [proposal] : t('Closed-Proposals') ? t('Closed-Proposals')!.split(' ').filter(Boolean) : written;
      return ids.map((id) => stub(trailer, { proposal: id, reason }));
    }
    case 'dbt.synced': {
      // One contract.published per version file the sync added, so each asset has its own audience.
      const out: EventStub[] = [];
      for (const ch of c.changed) {
        const m = /^assets\/([^/]+)\/versions\/([^/]+)\.yaml$/.exec(ch.path);
        if (m && ch.status === 'A') out.push(stub('contract.published', { asset: m[1]!, version: m[2]! }));
      }
      return out;
    }
    case 'quality.recorded': {
      const invocation = t('Invocation');
      return invocation ? assets.map((a) => stub('quality.failed', { asset: a, invocation })) : [];
    }
    default:
      if (!isNotifiedType(trailer)) return [];
      return [stub(trailer, { asset: assets[0], version, proposal, team, reason })];
  }
}

/** What the files at the event's commit say about it. */
export interface EventFacts {
  proposal?: Proposal | undefined;
  owner?: string | undefined;
  consumers?: string[] | undefined;
  version?: Version | undefined;
  /** For quality.failed: the run's failing and erroring results of this asset. */
  failures?: QualityEvent[] | undefined;
  /** For an answer: the required teams that had not approved as of it (pendingAfterAnswers). */
  pending?: string[] | undefined;
  uiUrl?: string | undefined;
}

/**
 * For each answer (acked/blocked/migrating), the required teams that had not
 * approved once it was given, from the answers before it in `stubs` (in
 * commit order). A supersede starts the count again, as it voids earlier acks.
 */
export function pendingAfterAnswers(stubs: readonly EventStub[], required: (proposal: string) => readonly string[] | undefined): Map<string, string[]> {
  const approved = new Map<string, Set<string>>();
  const out = new Map<string, string[]>();
  for (const s of stubs) {
    if (!s.proposal) continue;
    if (s.type === 'proposal.created' || s.type === 'proposal.superseded') approved.set(s.proposal, new Set());
    if (s.type !== 'proposal.acked' && s.type !== 'proposal.blocked' && s.type !== 'proposal.migrating') continue;
    const set = approved.get(s.proposal) ?? new Set<string>();
    approved.set(s.proposal, set);
    if (s.team) {
      if (s.type === 'proposal.acked') set.add(s.team);
      else set.delete(s.team);
    }
    const req = required(s.proposal);
    if (req) out.set(s.id, req.filter((t) => !set.has(t)));
  }
  return out;
}

/** An informed team's line in a proposal.created payload: the message it gets instead of a request to acknowledge. */
export function informedEntry(team: string, fields: readonly string[]): { team: string; fields: string[]; message: string } {
  return { team, fields: [...fields], message: `no action needed: you declared fields ${fields.join(', ')}` };
}

/** The full event, or undefined when the facts show there is nothing to say (a quality run where this asset passed). */
export function buildEvent(s: EventStub, f: EventFacts): NotificationEvent | undefined {
  if (s.type === 'quality.failed' && (f.failures?.length ?? 0) === 0) return undefined;
  const p = f.proposal;
  const owner = p?.owner ?? f.owner;
  const required = p?.required_teams;
  const informed = p?.informed_teams;
  const audience = audienceOf(s.type, { owner, required, informed, consumers: f.consumers });
  const changes: ChangeRecord[] | undefined = p?.changes ?? f.version?.changes;
  const data: Record<string, unknown> = {};
  if (changes) data.changes = changes.map(({ rule, path, message, breaking }) => ({ rule, path, message, breaking }));
  if (required) data.required_teams = required;
  if (p) {
    data.expires_at = p.expires_at;
    data.status = p.status;
    if (s.type === 'proposal.created' || s.type === 'proposal.superseded') {
      data.pending = required;
      if (p.scope) data.footprint = p.scope.footprint;
      if (informed?.length) {
        data.informed_teams = informed;
        data.informed = informed.map((team) => informedEntry(team, p.scope?.fields?.[team] ?? []));
      }
    }
  }
  if (f.consumers) data.consumers = f.consumers;
  if (s.decision) data.decision = s.decision;
  const reason = s.reason ?? (p && p.status !== 'open' ? p.reason : undefined);
  if (reason) data.reason = reason;
  if (f.failures && s.type === 'quality.failed') {
    data.failures = f.failures.map((q) => ({
      test: q.test,
      ...(q.guarantee.column ? { column: q.guarantee.column } : {}),
      message: `${q.guarantee.kind} ${q.status === 'error' ? 'errored' : 'failed'}${q.failures !== undefined ? `: ${q.failures} failing row${q.failures === 1 ? '' : 's'}` : ''}`,
    }));
  }
  if (s.type === 'proposal.acked' || s.type === 'proposal.blocked' || s.type === 'proposal.migrating') data.pending = f.pending ?? required ?? [];
  if (f.uiUrl) data.ui_url = f.uiUrl.replace(/\/+$/, '') + (p ? `/proposals/${p.id}` : s.asset ? `/assets/${s.asset}` : '');
  const asset = s.asset ?? p?.asset;
  const version = s.version ?? p?.to_version ?? f.version?.version;
  const fromVersion = p?.from_version ?? f.version?.previous_version;
  return {
    id: s.id,
    type: s.type,
    at: s.at,
    actor: s.actor,
    commit: s.commit,
    ...(asset ? { asset } : {}),
    ...(version ? { version } : {}),
    ...(fromVersion ? { from_version: fromVersion } : {}),
    ...(s.proposal ?? p?.id ? { proposal: s.proposal ?? p!.id } : {}),
    ...(s.team ? { team: s.team } : {}),
    audience,
    ...(owner ? { owner } : {}),
    data,
  };
}

/**
 * `tessera notify`: deliver every event some channel still wants, then
 * record each attempt on the deliveries ref by compare-and-swap.
 *
 * Nothing is lost: events are read from git (the commits' trailers), so a
 * writer killed before it delivered leaves its event for the next run.
 * Nothing is recorded twice: a run that loses the race re-reads the ref and
 * keeps a final record another run wrote. Runs at once may each send an
 * event before either records it; receivers deduplicate on the event id
 * (the webhook-id), which is the same on every run and machine.
 */
import type { Snapshot } from '../registry/snapshot.js';
import type { AppContext, Outcome } from './context.js';
import { isoNow, unixSeconds } from './context.js';
import type { Channel, ChannelType, DeliveryResult, NotificationEvent, Transport } from '../core/notify/types.js';
import { buildEvent, eventsOfCommit, pendingAfterAnswers, type EventFacts, type EventStub } from '../core/notify/events.js';
import { channelWants, isDue, isFinal, nextDelivery } from '../core/notify/delivery.js';
import { deliverySchema, notificationSettings, type ChannelFile, type Delivery, type NotificationSettings } from '../core/model.js';
import { CHANNELS_DIR, CONFIG_PATH, DELIVERIES_REF, deliveryPath, MAIN_REF } from '../core/paths.js';
import { encodeYaml } from '../core/codec.js';
import { formatCommitMessage } from '../core/commit-message.js';
import type { FileWrite } from '../core/plan-types.js';
import { readConfig } from '../registry/state.js';
import { urlProblem } from './channel.js';
import { readAllChannels } from '../registry/channels.js';
import { AudienceCache, readDelivery, readDeliveryState, readEventCommits, readEventFacts, readOwnEventCommits, type DeliveryState } from '../registry/notify-log.js';

/** git log --since walks by committer date, which a clock skew between writers can put before the author date: look a day further back. */
const SINCE_SLACK_MS = 86_400_000;
/**
 * A write's own delivery (`filter.since`) wants only the commits it just made, dated by its own clock:
 * a minute of slack keeps `git log` from walking the whole last day (2,000 commits cost ~30 ms a write).
 */
const OWN_WRITE_SLACK_MS = 60_000;
const FACT_READS_AT_ONCE = 8;

export type Transports = Partial<Record<ChannelType, Transport>>;

/** A pair still to deliver: never tried, or retrying (due now or later). */
export interface PendingDelivery {
  event: NotificationEvent;
  channel: ChannelFile;
  record: Delivery | undefined;
}

export interface DeliveryPlan {
  settings: NotificationSettings;
  channels: ChannelFile[];
  /** One line per channel file that could not be read (that channel is skipped). */
  channelErrors: string[];
  pending: PendingDelivery[];
  dead: Array<{ event: NotificationEvent; channel: ChannelFile; record: Delivery }>;
  delivered: number;
  deliveries: DeliveryState;
}

/** Every (event, channel) pair the registry's channels want, with its delivery record. */
/** Which deliveries to consider: all (tessera notify), or a write's own inline delivery (its channels, its time on). */
export interface DeliveryFilter {
  /** Only events at or after this time. */
  since?: Date;
  /** Only these channels. */
  channels?: readonly string[];
  /** Main's tessera.yaml and channels/ as the caller already read them (inline delivery), so they are not listed twice. */
  main?: Snapshot;
  /**
   * Only the events of these commits (a write's own: inline delivery), read
   * without a `git log`, and only their delivery records. With `since`, as
   * the fallback for events that need the log.
   */
  commits?: readonly string[];
}

export async function planDeliveries(ctx: AppContext, filter: DeliveryFilter = {}): Promise<DeliveryPlan> {
  const main = filter.main ?? (await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, CHANNELS_DIR]));
  const settings = notificationSettings(await readConfig(main));
  const read = await readAllChannels(main);
  const errors = filter.channels ? [] : read.errors;
  const channels = filter.channels ? read.channels.filter((c) => filter.channels!.includes(c.name)) : read.channels;
  if (channels.length === 0) return { settings, channels, channelErrors: errors, pending: [], dead: [], delivered: 0, deliveries: await readDeliveryState(ctx.repo) };
  const earliest = Math.max(Math.min(...channels.map((c) => Date.parse(c.created_at))), filter.since?.getTime() ?? -Infinity);
  const own = filter.commits ? await readOwnEventCommits(ctx.repo, filter.commits) : undefined;
  const stubs: EventStub[] = [];
  for (const c of own ?? (await readEventCommits(ctx.repo, new Date(earliest - (filter.since ? OWN_WRITE_SLACK_MS : SINCE_SLACK_MS))))) {
    if (Date.parse(c.at) < earliest) continue;
    stubs.push(...eventsOfCommit(c));
  }
  // A write's own events: only their records, not a listing of every delivery ever recorded.
  const deliveries = await readDeliveryState(ctx.repo, own ? stubs.flatMap((st) => channels.map((c) => deliveryPath(c.name, st.id))) : undefined);
  const plan: DeliveryPlan = { settings, channels, channelErrors: errors, pending: [], dead: [], delivered: 0, deliveries };
  // Skip reading the files of events every interested-by-time channel has already settled.
  const recordOf = (channel: string, event: string) => (deliveries.snap.has(deliveryPath(channel, event)) ? readDelivery(deliveries, deliveryPath(channel, event)) : Promise.resolve(undefined));
  // An event whose audience a past run cached needs no files when every channel that wants it has it delivered.
  const audiences = AudienceCache.open(ctx.repo);
  const open: Array<{ s: EventStub; candidates: ChannelFile[]; records: Array<Delivery | undefined> }> = [];
  for (const s of stubs) {
    const candidates = channels.filter((c) => Date.parse(s.at) >= Date.parse(c.created_at));
    const records = await Promise.all(candidates.map((c) => recordOf(c.name, s.id)));
    if (records.every((r) => r?.state === 'delivered')) {
      plan.delivered += records.length;
      continue;
    }
    const audience = audiences.get(s.id);
    if (audience !== undefined) {
      const wanting = records.filter((_, i) => audience !== null && channelWants(candidates[i]!, { audience, at: s.at }));
      if (wanting.every((r) => r?.state === 'delivered')) {
        plan.delivered += wanting.length;
        continue;
      }
    }
    open.push({ s, candidates, records });
  }
  // Each event's files are read at its own commit (an ls-tree each): a few at a time, in event order.
  const facts: EventFacts[] = [];
  for (let i = 0; i < open.length; i += FACT_READS_AT_ONCE) {
    const batch = open.slice(i, i + FACT_READS_AT_ONCE);
    facts.push(...(await Promise.all(batch.map(({ s }) => readEventFacts(ctx.repo, s, settings.ui_url)))));
  }
  // Who still has to answer, as of each answer: from the answers before it, all read above.
  const requiredOf = new Map<string, readonly string[]>();
  for (const f of facts) if (f.proposal) requiredOf.set(f.proposal.id, f.proposal.required_teams);
  const pending = pendingAfterAnswers(stubs, (id) => requiredOf.get(id));
  const built = open.map(({ s }, k) => buildEvent(s, { ...facts[k]!, pending: pending.get(s.id) }));
  for (const [k, { s }] of open.entries()) audiences.set(s.id, built[k]?.audience ?? null);
  audiences.save();
  for (const [k, { candidates, records }] of open.entries()) {
    const event = built[k];
    if (!event) continue;
    for (const [i, channel] of candidates.entries()) {
      if (!channelWants(channel, event)) continue;
      const record = records[i];
      if (record?.state === 'delivered') plan.delivered++;
      else if (record?.state === 'dead') plan.dead.push({ event, channel, record });
      else plan.pending.push({ event, channel, record });
    }
  }
  return plan;
}

export interface NotifyRequest extends DeliveryFilter {
  transports: Transports;
  /** Where the channels' variables are read (the process environment, for the CLI). */
  env: NodeJS.ProcessEnv;
  /** Per delivery; default tessera.yaml notifications.timeout_seconds. */
  timeoutMs?: number;
}

export interface Attempt {
  event: string;
  type: string;
  channel: string;
  ok: boolean;
  status?: number;
  error?: string;
  /** The state recorded; `duplicate` when another run had already recorded a final one. */
  state: Delivery['state'] | 'duplicate';
}

export interface NotifyResult {
  attempts: Attempt[];
  /** One line each: a channel skipped (unreadable file, unset variable, no transport). */
  warnings: string[];
  /** Deliveries still pending after this run (including retries not yet due). */
  pending: number;
  dead: number;
  delivered: number;
}

/** Why a channel cannot be delivered to from this environment, or undefined when it can. */
export function channelBlocker(channel: ChannelFile, env: NodeJS.ProcessEnv, transports: Transports): string | undefined {
  const problem = urlProblem(channel.type, channel.url_env!, env[channel.url_env!]);
  if (problem) return problem;
  if (!transports[channel.type]) return `this build has no ${channel.type} transport`;
  return undefined;
}

async function sendWithin(transport: Transport, channel: Channel, event: NotificationEvent, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<DeliveryResult> {
  // The transport has its own timeout; this one holds even if it does not keep it.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<DeliveryResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, retryable: true, error: `no answer within ${Math.round(timeoutMs / 1000)}s` }), timeoutMs + 1000);
    timer.unref();
  });
  try {
    return await Promise.race([transport.send(channel, event, env, timeoutMs).catch((e: unknown) => ({ ok: false, retryable: true, error: (e as Error).message })), late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function notify(ctx: AppContext, request: NotifyRequest): Promise<Outcome<NotifyResult>> {
  const plan = await planDeliveries(ctx, { ...(request.since ? { since: request.since } : {}), ...(request.channels ? { channels: request.channels } : {}), ...(request.main ? { main: request.main } : {}), ...(request.commits ? { commits: request.commits } : {}) });
  const now = ctx.now();
  const timeoutMs = request.timeoutMs ?? plan.settings.timeout_seconds * 1000;
  const warnings = plan.channelErrors.map((e) => `${e}; that channel is skipped`);
  const byChannel = new Map<string, PendingDelivery[]>();
  for (const p of plan.pending) {
    if (!isDue(p.record, now)) continue;
    byChannel.set(p.channel.name, [...(byChannel.get(p.channel.name) ?? []), p]);
  }
  const results: Array<{ p: PendingDelivery; result: DeliveryResult }> = [];
  await Promise.all(
    [...byChannel.values()].map(async (list) => {
      const channel = list[0]!.channel;
      const blocker = channelBlocker(channel, request.env, request.transports);
      if (blocker) {
        warnings.push(`channel ${channel.name}: ${blocker}; ${list.length} ${list.length === 1 ? 'delivery stays' : 'deliveries stay'} pending`);
        return;
      }
      // In order, one at a time per channel; after a retryable failure the rest wait for the next run.
      for (const [i, p] of list.entries()) {
        const result = await sendWithin(request.transports[channel.type]!, channel as Channel, p.event, request.env, timeoutMs);
        if (result.skipped) {
          // The transport found the channel unusable here (e.g. a malformed secret): like an unset variable, no attempt counts.
          const left = list.length - i;
          warnings.push(`channel ${channel.name}: ${result.error ?? 'not sent'}; ${left} ${left === 1 ? 'delivery stays' : 'deliveries stay'} pending`);
          break;
        }
        results.push({ p, result });
        if (!result.ok && result.retryable) break;
      }
    }),
  );
  const attempts: Attempt[] = [];
  let commit: string | undefined;
  let retries = 0;
  if (results.length > 0) {
    const actor = await ctx.identity();
    // The first attempt records on the state the plan read (the compare-and-swap catches a move since); a retry re-reads.
    let known: DeliveryState | undefined = plan.deliveries;
    const outcome = await ctx.repo.transact(
      async () => {
        const state = known ?? (await readDeliveryState(ctx.repo));
        known = undefined;
        const files: FileWrite[] = [];
        const out: Attempt[] = [];
        for (const { p, result } of results) {
          const path = deliveryPath(p.channel.name, p.event.id);
          const previous = state.snap.has(path) ? await readDelivery(state, path) : undefined;
          const next = nextDelivery(previous, p.event, p.channel.name, result, now, plan.settings);
          const base = { event: p.event.id, type: p.event.type, channel: p.channel.name, ok: result.ok, ...(result.status !== undefined ? { status: result.status } : {}), ...(result.error ? { error: result.error } : {}) };
          if (!next) {
            out.push({ ...base, state: 'duplicate' });
            continue;
          }
          files.push({ path, content: encodeYaml(path, deliverySchema, next) });
          out.push({ ...base, state: next.state });
        }
        if (files.length === 0) return { writes: [], result: out };
        const ok = out.filter((a) => a.state === 'delivered').length;
        const message = formatCommitMessage(`record ${files.length} notification deliveries (${ok} delivered)`, { event: 'deliveries.recorded', actor: actor.email });
        return { writes: [{ ref: DELIVERIES_REF, expectedOld: state.commit, commit: { parents: state.commit ? [state.commit] : [], changes: files, message } }], result: out };
      },
      { author: actor, when: () => unixSeconds(now) },
    );
    attempts.push(...outcome.result);
    commit = outcome.commits[DELIVERIES_REF];
    retries = outcome.retries;
  }
  const settled = new Set(attempts.filter((a) => a.state !== 'retrying').map((a) => `${a.channel}\0${a.event}`));
  const newlyDead = attempts.filter((a) => a.state === 'dead').length;
  const newlyDelivered = attempts.filter((a) => a.state === 'delivered').length;
  const result: NotifyResult = {
    attempts,
    warnings,
    pending: plan.pending.filter((p) => !settled.has(`${p.channel.name}\0${p.event.id}`)).length,
    dead: plan.dead.length + newlyDead,
    delivered: plan.delivered + newlyDelivered,
  };
  const events = commit ? [{ type: 'deliveries.recorded' as const, actor: (await ctx.identity()).email, at: isoNow(now), commit }] : [];
  return { result, commits: commit ? { [DELIVERIES_REF]: commit } : {}, events, retries };
}

export interface StatusEntry {
  event: string;
  type: string;
  at: string;
  channel: string;
  asset?: string;
  proposal?: string;
  attempts: number;
  next_attempt_at?: string;
  last_error?: string;
  status?: number;
}

export interface NotifyStatus {
  pending: StatusEntry[];
  dead: StatusEntry[];
  delivered: number;
  channelErrors: string[];
}

function entry(event: NotificationEvent, channel: ChannelFile, record: Delivery | undefined): StatusEntry {
  return {
    event: event.id,
    type: event.type,
    at: event.at,
    channel: channel.name,
    ...(event.asset ? { asset: event.asset } : {}),
    ...(event.proposal ? { proposal: event.proposal } : {}),
    attempts: record?.attempts ?? 0,
    ...(record?.next_attempt_at ? { next_attempt_at: record.next_attempt_at } : {}),
    ...(record?.last_error ? { last_error: record.last_error } : {}),
    ...(record?.status !== undefined ? { status: record.status } : {}),
  };
}

/** `notify --status`: reads only. */
export async function notifyStatus(ctx: AppContext): Promise<NotifyStatus> {
  const plan = await planDeliveries(ctx);
  return {
    pending: plan.pending.filter((p) => !isFinal(p.record)).map((p) => entry(p.event, p.channel, p.record)),
    dead: plan.dead.map((d) => entry(d.event, d.channel, d.record)),
    delivered: plan.delivered,
    channelErrors: plan.channelErrors,
  };
}

/**
 * `tessera notify --remind`: each team is sent one digest of the open
 * proposals still waiting for its answer. A read-only workflow: reminders
 * are not recorded in the registry (a daily schedule sends them again
 * tomorrow; receivers deduplicate a repeat within the day on webhook-id), so
 * it writes nothing and returns no domain events.
 */
import type { AppContext, Outcome } from './context.js';
import { loadProposalState } from './proposal-state.js';
import { listOpenProposals } from '../registry/proposals.js';
import { readAllChannels } from '../registry/channels.js';
import { buildDigests, type WaitingProposal } from '../core/notify/digest.js';
import type { ChannelType, DeliveryResult, Transport } from '../core/notify/types.js';
import { MAIN_REF } from '../core/paths.js';

export interface RemindRequest {
  olderThanMs: number;
  env: NodeJS.ProcessEnv;
  transports: Record<ChannelType, Transport>;
  now?: Date;
  timeoutMs: number;
}

export interface SentDigest {
  team: string;
  channel: string;
  /** The webhook-id (and email Message-ID) of the digest. */
  id: string;
  proposals: string[];
  result: DeliveryResult;
}

export interface RemindResult {
  digests: SentDigest[];
  /** Channel files that could not be read, one line each: those channels were skipped. */
  channelErrors: string[];
  /** Teams with proposals waiting that no channel serves: nobody was told. */
  unserved: Array<{ team: string; proposals: string[] }>;
}

export async function remind(ctx: AppContext, request: RemindRequest): Promise<Outcome<RemindResult>> {
  const now = request.now ?? ctx.now();
  const snap = await ctx.repo.snapshot(MAIN_REF, ['channels']);
  // A channel file that does not parse is skipped with its one-line reason; the others still get their digests.
  const { channels, errors: channelErrors } = await readAllChannels(snap);
  const waiting: WaitingProposal[] = [];
  for (const open of await listOpenProposals(ctx.repo)) {
    const { view } = await loadProposalState(ctx, open);
    const p = open.proposal;
    waiting.push({ id: p.id, asset: p.asset, from_version: p.from_version, to_version: p.to_version, created_at: p.created_at, expires_at: p.expires_at, pending: view.pending, breaking_rules: p.changes.filter((c) => c.breaking).map((c) => c.rule) });
  }
  // Whoever runs a schedule may have no git identity: the digest still goes out, signed by the tool.
  const actor = await ctx.identity().then((id) => `${id.name} <${id.email}>`, () => 'tessera');
  const digests = buildDigests({ proposals: waiting, channels, now, olderThanMs: request.olderThanMs, commit: snap.commit ?? '', actor });
  const sends = digests.flatMap((d) =>
    d.channels.map(async (channel): Promise<SentDigest> => ({
      team: d.team,
      channel: channel.name,
      id: d.event.id,
      proposals: d.items.map((i) => i.proposal),
      result: await request.transports[channel.type].send(channel, d.event, request.env, request.timeoutMs),
    })),
  );
  return {
    result: {
      digests: await Promise.all(sends),
      channelErrors,
      unserved: digests.filter((d) => d.channels.length === 0).map((d) => ({ team: d.team, proposals: d.items.map((i) => i.proposal) })),
    },
    commits: {},
    events: [],
    retries: 0,
  };
}

/**
 * Reminders (`tessera notify --remind`): one digest per team of the open
 * proposals still waiting for its answer. Pure: the caller reads the
 * proposals, channels and clock; this decides what each team is told. A
 * digest travels as a NotificationEvent of type `reminder.digest`, so N2's
 * transports send it and the webhook, Slack and email formats lay it out.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ackCommand } from '../proposal.js';
import { DIGEST_TYPE, digestItemSchema } from './payloads.js';
import type { Channel, NotificationEvent } from './types.js';

export type DigestItem = z.infer<typeof digestItemSchema>;

/** An open proposal as the reminder needs it: `pending` are the teams whose answer is missing or stale. */
export interface WaitingProposal {
  id: string;
  asset: string;
  from_version: string;
  to_version: string;
  created_at: string;
  expires_at: string;
  pending: string[];
  breaking_rules: string[];
}

/** A proposal this close to its expiry is flagged in the digest. */
export const EXPIRES_SOON_MS = 3 * 86_400_000;

export interface TeamDigest {
  team: string;
  event: NotificationEvent;
  items: DigestItem[];
  /** The channels that serve the team; empty: nobody is told (the caller says so). */
  channels: Channel[];
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The webhook-id: the same team, UTC day and set of proposals give the same
 * id on every run and machine, so a reminder run twice in a day is
 * deduplicated by receivers, while tomorrow's, or one listing another
 * proposal, is new.
 */
export function digestId(team: string, day: string, proposalIds: readonly string[]): string {
  return `rem_${createHash('sha256').update(`${team}\n${day}\n${[...proposalIds].sort().join(',')}`).digest('hex').slice(0, 24)}`;
}

/**
 * One digest per team with at least one proposal waiting for it that was
 * created at least `olderThanMs` before `now`. Proposals already past their
 * expiry are left out: no answer can save them, the owner's `tessera expire`
 * closes them. Teams come out sorted; items oldest first.
 */
export function buildDigests(input: { proposals: readonly WaitingProposal[]; channels: readonly Channel[]; now: Date; olderThanMs: number; commit: string; actor: string }): TeamDigest[] {
  const nowMs = input.now.getTime();
  const byTeam = new Map<string, WaitingProposal[]>();
  for (const p of input.proposals) {
    const created = Date.parse(p.created_at);
    const expires = Date.parse(p.expires_at);
    if (!(expires > nowMs) || !(created <= nowMs - input.olderThanMs)) continue;
    for (const team of new Set(p.pending)) byTeam.set(team, [...(byTeam.get(team) ?? []), p]);
  }
  const day = iso(input.now).slice(0, 10);
  return [...byTeam.keys()].sort().map((team) => {
    const items: DigestItem[] = byTeam
      .get(team)!
      .slice()
      .sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1))
      .map((p) => ({
        proposal: p.id,
        asset: p.asset,
        from_version: p.from_version,
        to_version: p.to_version,
        created_at: p.created_at,
        expires_at: p.expires_at,
        expires_soon: Date.parse(p.expires_at) - nowMs <= EXPIRES_SOON_MS,
        breaking_rules: [...new Set(p.breaking_rules)],
        ack_command: ackCommand(p.id, team),
      }));
    const event: NotificationEvent = {
      id: digestId(team, day, items.map((i) => i.proposal)),
      type: DIGEST_TYPE,
      at: iso(input.now),
      actor: input.actor,
      commit: input.commit,
      team,
      audience: [team],
      data: { older_than_seconds: Math.floor(input.olderThanMs / 1000), proposals: items },
    };
    return { team, event, items, channels: input.channels.filter((c) => c.teams.includes(team)) };
  });
}

/** The items of a digest event as the formats read them back; invalid ones are left out rather than failing the delivery. */
export function digestItems(event: NotificationEvent): DigestItem[] {
  const raw = event.data['proposals'];
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((x) => {
    const r = digestItemSchema.safeParse(x);
    return r.success ? [r.data] : [];
  });
}

export function digestTitle(event: NotificationEvent, count: number): string {
  const team = event.team ?? 'your team';
  return `${count} proposal${count === 1 ? '' : 's'} still wait${count === 1 ? 's' : ''} for ${team}`;
}

/** The versions, and the expiry with its flag, as every format writes them. */
export function itemVersions(i: DigestItem): string {
  return `${i.from_version} → ${i.to_version}`;
}

export function itemExpiry(i: DigestItem): string {
  return `${i.expires_at}${i.expires_soon ? ' (expires within 3 days)' : ''}`;
}

export function digestFooter(event: NotificationEvent): string {
  return `tessera · ${DIGEST_TYPE} · digest ${event.id} · from commit ${event.commit.slice(0, 12)}`;
}

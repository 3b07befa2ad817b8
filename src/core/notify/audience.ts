/**
 * Who an event is for (issue 14, "Audiences"), as a pure function of the
 * facts read from the commit that carries it. A channel receives an event
 * when one of its teams is in the audience.
 */
import type { EventType } from '../events.js';

/** The event types some audience hears of: a subset of core/events.ts's. */
export const NOTIFIED_TYPES = [
  'proposal.created',
  'proposal.superseded',
  'proposal.acked',
  'proposal.blocked',
  'proposal.migrating',
  'proposal.merged',
  'proposal.withdrawn',
  'proposal.expired',
  'contract.forced',
  'contract.published',
  'quality.failed',
] as const satisfies readonly EventType[];
export type NotifiedType = (typeof NOTIFIED_TYPES)[number];

export function isNotifiedType(t: string): t is NotifiedType {
  return (NOTIFIED_TYPES as readonly string[]).includes(t);
}

export interface AudienceFacts {
  owner?: string | undefined;
  /** The teams whose acknowledgment the proposal requires (its record's required_teams). */
  required?: readonly string[] | undefined;
  /** Consumers told of a new proposal but not waited for (scoped acknowledgments: their fields miss its footprint). */
  informed?: readonly string[] | undefined;
  /** The asset's registered consumers at the event's commit. */
  consumers?: readonly string[] | undefined;
}

export function audienceOf(type: NotifiedType, f: AudienceFacts): string[] {
  const owner = f.owner ? [f.owner] : [];
  let teams: readonly string[];
  switch (type) {
    case 'proposal.acked':
    case 'proposal.blocked':
    case 'proposal.migrating':
      teams = owner;
      break;
    case 'contract.published':
      teams = f.consumers ?? [];
      break;
    case 'quality.failed':
      teams = [...(f.consumers ?? []), ...owner];
      break;
    case 'contract.forced':
      // Forced without a proposal: nobody was asked, so the consumers are the teams that had to be.
      teams = [...(f.required ?? f.consumers ?? []), ...owner];
      break;
    case 'proposal.created':
    case 'proposal.superseded':
      teams = [...(f.required ?? []), ...(f.informed ?? []), ...owner];
      break;
    default:
      teams = [...(f.required ?? []), ...owner];
  }
  return [...new Set(teams)].sort();
}

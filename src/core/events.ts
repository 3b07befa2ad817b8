/**
 * Domain events: what a write did, as data. Every write workflow in src/app/
 * returns the events of the commits it made, with the same names as the
 * commits' `Tessera-Event` trailers, so notifications and the audit log
 * (which reads the trailers back) speak of the same things.
 */
export const EVENT_TYPES = [
  'registry.initialised',
  'team.created',
  'team.updated',
  'contract.published',
  'contract.forced',
  'consumer.registered',
  'consumer.unregistered',
  'proposal.created',
  'proposal.superseded',
  'proposal.acked',
  'proposal.blocked',
  'proposal.migrating',
  'proposal.merged',
  'proposal.withdrawn',
  'proposal.expired',
  'quality.recorded',
  'quality.failed',
  'dbt.synced',
  'asset.mode_changed',
  'key.created',
  'key.revoked',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface DomainEvent {
  type: EventType;
  /** Who acted (the commit's author). */
  actor: string;
  /** ISO time of the write. */
  at: string;
  asset?: string;
  version?: string;
  proposal?: string;
  team?: string;
  /** The commit that carries the event, once written (absent on a dry run). */
  commit?: string;
}

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

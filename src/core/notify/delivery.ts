/**
 * Delivery bookkeeping, pure: which (event, channel) pairs are due, and the
 * record an attempt leaves. A record is final once delivered or dead; a
 * retryable failure waits retry_after_seconds, doubled per failure (at most
 * 6 hours), and is dead after max_attempts failures; a non-retryable one
 * (a 4xx) is dead at once.
 */
import type { Channel, DeliveryResult, NotificationEvent } from './types.js';
import type { Delivery, NotificationSettings } from '../model.js';

const MAX_BACKOFF_SECONDS = 6 * 3600;

/** A channel hears of events from the moment it was added, never of older history. */
export function channelWants(channel: Pick<Channel, 'teams' | 'created_at'>, event: Pick<NotificationEvent, 'audience' | 'at'>): boolean {
  if (Date.parse(event.at) < Date.parse(channel.created_at)) return false;
  return event.audience.some((t) => channel.teams.includes(t));
}

export function isFinal(d: Delivery | undefined): boolean {
  return d !== undefined && d.state !== 'retrying';
}

export function isDue(d: Delivery | undefined, now: Date): boolean {
  if (d === undefined) return true;
  if (isFinal(d)) return false;
  return d.next_attempt_at === undefined || Date.parse(d.next_attempt_at) <= now.getTime();
}

export function backoffSeconds(settings: NotificationSettings, failures: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, settings.retry_after_seconds * 2 ** Math.max(0, failures - 1));
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The record after one attempt. `previous` is what the deliveries ref holds
 * now (another run may have written it since this one read it): a final
 * record is kept as it is, so one delivery per event and channel is ever
 * recorded, and attempts count every run's failures.
 */
export function nextDelivery(previous: Delivery | undefined, event: Pick<NotificationEvent, 'id' | 'type' | 'proposal' | 'asset'>, channel: string, result: DeliveryResult, now: Date, settings: NotificationSettings): Delivery | undefined {
  if (isFinal(previous)) return undefined;
  const attempts = (previous?.attempts ?? 0) + 1;
  const about = { ...(event.proposal ? { proposal: event.proposal } : {}), ...(event.asset ? { asset: event.asset } : {}) };
  const base = { event: event.id, channel, type: event.type, ...about, attempts, last_attempt_at: iso(now), ...(result.status !== undefined ? { status: result.status } : {}) };
  if (result.ok) return { ...base, state: 'delivered', delivered_at: iso(now) };
  const error = (result.error ?? (result.status !== undefined ? `HTTP ${result.status}` : 'failed')).replace(/\s+/g, ' ').slice(0, 500);
  if (!result.retryable || attempts >= settings.max_attempts) return { ...base, state: 'dead', last_error: error };
  return { ...base, state: 'retrying', last_error: error, next_attempt_at: iso(new Date(now.getTime() + backoffSeconds(settings, attempts) * 1000)) };
}

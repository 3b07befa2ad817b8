// src/core/notify/types.ts  — written by N2 FIRST (commit it within your first 15 minutes; N1 copies the same file
// content verbatim onto their branch to build against; the lead reconciles at merge)
export type ChannelType = 'webhook' | 'slack' | 'email';
export interface Channel {            // the parsed channels/<name>.yaml (N1 owns the zod schema in core/model.ts)
  name: string; type: ChannelType; teams: string[];
  url_env?: string; secret_env?: string; to?: string[];   // names of env vars / addresses; never secrets
  created_at: string; created_by: string;
}
export interface NotificationEvent {  // one event as delivered: built by N1 from git, formatted by N2
  id: string;            // stable across runs and machines: the idempotency key (webhook-id), e.g. `evt_<sha256(commit + type + subject)[:24]>`
  type: string;          // EventType from core/events.ts
  at: string;            // ISO time of the commit
  actor: string;
  commit: string;
  asset?: string; version?: string; from_version?: string; proposal?: string; team?: string;
  audience: string[];    // teams this event is for (issue's "Audiences")
  owner?: string;        // the asset's owner team
  data: Record<string, unknown>;  // type-specific payload: changes [{rule, path, message, breaking}], required_teams, pending, expires_at, reason, ui_url, quality failures...
}
export interface OutboundMessage { channel: string; eventId: string; kind: ChannelType; request: unknown }
export interface DeliveryResult {
  ok: boolean; retryable: boolean; status?: number; error?: string;
  // Added by N2, optional so N1's code built against the first version still compiles: true when nothing was sent because
  // the channel's variables are unset or malformed here (warn, keep pending, count no attempt against the receiver).
  skipped?: boolean;
}
export interface Transport { send(channel: Channel, event: NotificationEvent, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<DeliveryResult> }

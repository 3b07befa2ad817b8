/**
 * The `webhook` channel format: Standard Webhooks 1.0 (docs/notifications.md).
 * Pure: the send time and the secret come in as arguments, so the same event
 * formats to the same body on every machine and only the timestamp header and
 * the signature differ between attempts.
 */
import { createHmac } from 'node:crypto';
import { InputError } from '../errors.js';
import type { NotificationEvent } from './types.js';

/** Versioned like `--json`: bumped when a field is removed or changes meaning (adding one is not a bump). */
export const EVENT_JSON_VERSION = 'tessera.event/v1';

const SECRET_PREFIX = 'whsec_';

export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface WebhookRequest {
  headers: Record<string, string>;
  body: string;
}

/**
 * The body: `{type, timestamp, data}` as the spec asks. `data` carries the
 * event's own fields after its type-specific ones, so a payload field can never
 * shadow the id, commit or audience a receiver deduplicates and routes on.
 */
export function webhookPayload(event: NotificationEvent): WebhookPayload {
  const data: Record<string, unknown> = { ...event.data, schema_version: EVENT_JSON_VERSION, id: event.id, at: event.at, actor: event.actor, commit: event.commit };
  for (const key of ['asset', 'version', 'from_version', 'proposal', 'team', 'owner'] as const) if (event[key] !== undefined) data[key] = event[key];
  data['audience'] = event.audience;
  return { type: event.type, timestamp: event.at, data };
}

/** The HMAC key of a `whsec_<base64>` secret; a one-line InputError naming the variable otherwise. */
export function secretKey(secret: string, variable: string): Buffer {
  const fix = `set ${variable} to whsec_ followed by base64 of 24 to 64 random bytes, e.g. whsec_$(openssl rand -base64 32)`;
  if (!secret.startsWith(SECRET_PREFIX)) throw new InputError(`${variable} is not a Standard Webhooks secret: it must start with ${SECRET_PREFIX}`, fix);
  const b64 = secret.slice(SECRET_PREFIX.length);
  // Buffer.from ignores what is not base64; check the text so a typo is not silently a different key.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) throw new InputError(`${variable} is not a Standard Webhooks secret: the part after ${SECRET_PREFIX} is not base64`, fix);
  const key = Buffer.from(b64, 'base64');
  if (key.length < 24 || key.length > 64) throw new InputError(`${variable} is not a Standard Webhooks secret: its key is ${key.length} bytes, not 24 to 64`, fix);
  return key;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. */
export function sign(id: string, timestampSeconds: number, body: string, key: Buffer): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/**
 * The request for one attempt. `key` absent: the channel has no secret
 * (no --secret-env), and the request goes unsigned, without webhook-signature.
 */
export function webhookRequest(event: NotificationEvent, nowSeconds: number, key?: Buffer): WebhookRequest {
  const body = JSON.stringify(webhookPayload(event));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'tessera-notify',
    'webhook-id': event.id,
    'webhook-timestamp': String(nowSeconds),
  };
  if (key) headers['webhook-signature'] = sign(event.id, nowSeconds, body, key);
  return { headers, body };
}

/**
 * Reading a channel's environment variables. The registry holds only their
 * names; what they hold decides where a message goes, so a value that is
 * missing or malformed sends nothing and is reported as `skipped`: the
 * delivery stays pending for a run whose environment has it right, and no
 * attempt is counted against the receiver.
 */
import type { Channel, DeliveryResult } from '../core/notify/types.js';

export type Resolved<T> = { ok: true; value: T } | { ok: false; result: DeliveryResult };

export function skipped(error: string): { ok: false; result: DeliveryResult } {
  return { ok: false, result: { ok: false, retryable: true, skipped: true, error } };
}

/** The value of the channel's `url_env`, parsed, with one of the allowed protocols. */
export function channelUrl(channel: Channel, env: NodeJS.ProcessEnv, protocols: string[]): Resolved<URL> {
  const name = channel.url_env;
  if (!name) return skipped(`channel ${channel.name} has no url_env: re-add it with --url-env VAR`);
  const raw = env[name];
  if (raw === undefined || raw === '') return skipped(`${name} is not set: channel ${channel.name} sends nothing until it is`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Never echo the value: a Slack or SMTP URL is itself a credential.
    return skipped(`${name} is not a URL: set it to a ${protocols.map((p) => p.replace(/:$/, '')).join(' or ')} URL`);
  }
  if (!protocols.includes(url.protocol)) return skipped(`${name} is a ${url.protocol.replace(/:$/, '')} URL: channel ${channel.name} needs ${protocols.map((p) => p.replace(/:$/, '')).join(' or ')}`);
  return { ok: true, value: url };
}

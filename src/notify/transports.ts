/**
 * The transports `tessera notify` delivers through, one per channel type.
 * Each turns an event into a request with the pure formats of core/notify/
 * and sends it; none throws: every outcome, a bug included, comes back as a
 * DeliveryResult so one bad channel cannot stop a run.
 */
import { TesseraError } from '../core/errors.js';
import type { Channel, ChannelType, DeliveryResult, NotificationEvent, Transport } from '../core/notify/types.js';
import { slackMessage } from '../core/notify/slack.js';
import { secretKey, webhookRequest } from '../core/notify/webhook.js';
import { channelUrl, skipped } from './config.js';
import { postJson } from './http.js';
import { sendEmail } from './smtp.js';

const HTTP = ['http:', 'https:'];

function guarded(send: Transport['send']): Transport {
  return {
    async send(channel, event, env, timeoutMs): Promise<DeliveryResult> {
      try {
        return await send(channel, event, env, timeoutMs);
      } catch (e) {
        if (e instanceof TesseraError) return skipped(e.oneLine()).result;
        return { ok: false, retryable: true, error: `channel ${channel.name}: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
  };
}

async function sendWebhook(channel: Channel, event: NotificationEvent, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<DeliveryResult> {
  const url = channelUrl(channel, env, HTTP);
  if (!url.ok) return url.result;
  let key: Buffer | undefined;
  if (channel.secret_env) {
    const secret = env[channel.secret_env];
    if (!secret) return skipped(`${channel.secret_env} is not set: channel ${channel.name} signs with it and sends nothing until it is`).result;
    key = secretKey(secret, channel.secret_env);
  }
  const req = webhookRequest(event, Math.floor(Date.now() / 1000), key);
  return postJson(url.value, req.headers, req.body, timeoutMs);
}

/** An incoming webhook: its URL is the credential, so there is nothing to sign. */
async function sendSlack(channel: Channel, event: NotificationEvent, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<DeliveryResult> {
  const url = channelUrl(channel, env, HTTP);
  if (!url.ok) return url.result;
  return postJson(url.value, { 'content-type': 'application/json', 'user-agent': 'tessera-notify' }, JSON.stringify(slackMessage(event, channel)), timeoutMs);
}

export const webhookTransport = guarded(sendWebhook);
export const slackTransport = guarded(sendSlack);
export const emailTransport = guarded(sendEmail);

export const transports: Record<ChannelType, Transport> = {
  webhook: webhookTransport,
  slack: slackTransport,
  email: emailTransport,
};

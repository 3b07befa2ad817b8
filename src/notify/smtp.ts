/**
 * The SMTP transport for `email` channels, through nodemailer. The channel's
 * url_env holds the whole connection, smtp://user:pass@host:port (STARTTLS
 * when the server offers it) or smtps:// (TLS from the start), and may name
 * the sender with ?from=ADDRESS; the registry holds only the recipients.
 */
import { emailMessage } from '../core/notify/email.js';
import type { Channel, DeliveryResult, NotificationEvent } from '../core/notify/types.js';
import { channelUrl, skipped } from './config.js';

/** Reply codes 4xx are transient in SMTP (greylisting, a full queue); 5xx are final. No code: the connection failed. */
function fromError(e: unknown, host: string, timeoutMs: number): DeliveryResult {
  const err = e as { code?: string; responseCode?: number; message?: string };
  const code = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const message = (err.message ?? String(e)).replace(/\s+/g, ' ').trim();
  if (code !== undefined) return { ok: false, retryable: code < 500, status: code, error: `SMTP ${host}: ${message}` };
  if (err.code === 'ETIMEDOUT') return { ok: false, retryable: true, error: `no answer from ${host} within ${timeoutMs} ms` };
  return { ok: false, retryable: err.code !== 'ECONFIG', error: `cannot reach ${host}: ${err.code ? `${err.code} ` : ''}${message}` };
}

export async function sendEmail(channel: Channel, event: NotificationEvent, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<DeliveryResult> {
  const url = channelUrl(channel, env, ['smtp:', 'smtps:']);
  if (!url.ok) return url.result;
  const to = channel.to ?? [];
  if (!to.length) return skipped(`channel ${channel.name} has no recipients: re-add it with --to ADDRESS`).result;
  const smtp = new URL(url.value);
  const from = smtp.searchParams.get('from') ?? `tessera-notify@${smtp.hostname}`;
  smtp.searchParams.delete('from');
  const host = smtp.host;
  // Loaded only when an email is due: a write that delivers inline to webhooks should not pay for an SMTP stack.
  const { default: nodemailer } = await import('nodemailer');
  const transporter = nodemailer.createTransport({ url: smtp.toString(), connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs, dnsTimeout: timeoutMs });
  const m = emailMessage(event, channel);
  let timer: NodeJS.Timeout | undefined;
  // nodemailer's timeouts bound each wait; this bounds the whole exchange, as the http transport's deadline does.
  const deadline = new Promise<DeliveryResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, retryable: true, error: `no answer from ${host} within ${timeoutMs} ms` }), timeoutMs);
  });
  const sending = transporter
    .sendMail({ from, to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId })
    .then((info): DeliveryResult => {
      const rejected = (info.rejected ?? []).map(String);
      // Some recipients took it: sending again would repeat it for them, so it counts as delivered.
      return rejected.length ? { ok: true, retryable: false, error: `${host} refused ${rejected.join(', ')}` } : { ok: true, retryable: false };
    })
    .catch((e: unknown) => fromError(e, host, timeoutMs));
  try {
    return await Promise.race([sending, deadline]);
  } finally {
    clearTimeout(timer);
    transporter.close();
  }
}

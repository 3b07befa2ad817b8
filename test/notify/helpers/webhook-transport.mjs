// A minimal webhook transport for the engine's tests only (the real ones are
// src/notify/'s): one POST of {type, timestamp, data} with the webhook-id
// header, real HTTP, 2xx ok, 5xx/network/timeout retryable, 4xx not; a set
// secret that is not whsec_ is `skipped` (nothing sent), as src/notify/ does.
export const webhook = {
  async send(channel, event, env, timeoutMs) {
    const secret = channel.secret_env ? env[channel.secret_env] : undefined;
    if (secret !== undefined && !secret.startsWith('whsec_')) return { ok: false, retryable: true, skipped: true, error: `${channel.secret_env} is not a whsec_ secret` };
    const url = env[channel.url_env];
    const body = JSON.stringify({ type: event.type, timestamp: event.at, data: event });
    try {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': event.id, 'webhook-timestamp': String(Math.floor(Date.parse(event.at) / 1000)) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await r.arrayBuffer().catch(() => undefined);
      if (r.ok) return { ok: true, retryable: false, status: r.status };
      return { ok: false, retryable: r.status >= 500 || r.status === 429, status: r.status, error: `HTTP ${r.status}` };
    } catch (e) {
      return { ok: false, retryable: true, error: e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000}s` : String(e.message) };
    }
  },
};

import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { transports } from '../../src/notify/transports.js';
import { channel, EVENTS, SECRET } from './fixtures.js';
import { receiver, type Answer, type Receiver } from './receiver.js';

const event = EVENTS['proposal.created']!;
const hook = channel('webhook', { url_env: 'HOOK_URL', secret_env: 'HOOK_SECRET' });
const open: Receiver[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});
async function recv(...script: Answer[]) {
  const r = await receiver(script);
  open.push(r);
  return r;
}
const send = (r: Receiver, env: NodeJS.ProcessEnv = {}, timeoutMs = 5000) => transports.webhook.send(hook, event, { HOOK_URL: r.url, HOOK_SECRET: SECRET, ...env }, timeoutMs);

describe('http transport, webhook channels, against real receivers', () => {
  it('2xx: delivered once, as a signed POST that standardwebhooks verifies', async () => {
    const r = await recv(204);
    expect(await send(r)).toEqual({ ok: true, retryable: false, status: 204 });
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got.method).toBe('POST');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['webhook-id']).toBe(event.id);
    expect(new Webhook(SECRET).verify(got.body, got.headers)).toMatchObject({ type: 'proposal.created', data: { id: event.id } });
  });

  it('5xx is retryable and says what the receiver answered', async () => {
    const r = await recv({ status: 500, body: 'boom\nstack trace here' });
    const res = await send(r);
    expect(res).toMatchObject({ ok: false, retryable: true, status: 500 });
    expect(res.error).toBe('HTTP 500 Internal Server Error: boom stack trace here');
  });

  it('500, 500, 200: the third attempt is delivered with the same webhook-id', async () => {
    const r = await recv(500, 500, 200);
    const results = [await send(r), await send(r), await send(r)];
    expect(results.map((x) => [x.ok, x.retryable])).toEqual([[false, true], [false, true], [true, false]]);
    expect(new Set(r.received.map((x) => x.headers['webhook-id']))).toEqual(new Set([event.id]));
  });

  it.each([400, 401, 404, 410])('%i is final, not retryable', async (status) => {
    const r = await recv(status);
    expect(await send(r)).toMatchObject({ ok: false, retryable: false, status });
  });

  it.each([408, 429])('%i asks to come back later: retryable', async (status) => {
    const r = await recv(status);
    expect(await send(r)).toMatchObject({ ok: false, retryable: true, status });
  });

  it('a redirect is not followed (the message could leave for another host) and is final', async () => {
    const elsewhere = await recv(200);
    const r = await recv({ status: 301, headers: { location: elsewhere.url } });
    expect(await send(r)).toMatchObject({ ok: false, retryable: false, status: 301 });
    expect(elsewhere.received).toHaveLength(0);
  });

  it('a receiver that hangs: the send returns at its timeout, retryable', async () => {
    const r = await recv('hang');
    const t0 = Date.now();
    const res = await send(r, {}, 300);
    const elapsed = Date.now() - t0;
    expect(res).toEqual({ ok: false, retryable: true, error: `no answer from ${new URL(r.url).host} within 300 ms` });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2300);
    expect(r.received).toHaveLength(1);
  });

  it('a receiver that is down: retryable, naming the host and the error code', async () => {
    const r = await recv(200);
    await r.close();
    open.splice(open.indexOf(r), 1);
    const res = await send(r);
    expect(res).toMatchObject({ ok: false, retryable: true });
    expect(res.error).toBe(`cannot reach ${new URL(r.url).host}: ECONNREFUSED`);
  });

  it('no secret_env: the POST goes unsigned', async () => {
    const r = await recv(200);
    expect((await transports.webhook.send({ ...hook, secret_env: undefined }, event, { HOOK_URL: r.url }, 5000)).ok).toBe(true);
    expect(r.received[0]!.headers['webhook-signature']).toBeUndefined();
  });

  it.each([
    ['the URL variable is unset', { HOOK_URL: undefined }, /^HOOK_URL is not set: channel webhook-growth sends nothing until it is$/],
    ['the URL variable is empty', { HOOK_URL: '' }, /^HOOK_URL is not set/],
    ['the URL is not a URL', { HOOK_URL: 'hooks.example.com/x?token=s3cret' }, /^HOOK_URL is not a URL: set it to a http or https URL$/],
    ['the URL is not http(s)', { HOOK_URL: 'ftp://user:s3cret@127.0.0.1/x' }, /^HOOK_URL is a ftp URL: channel webhook-growth needs http or https$/],
    ['the secret variable is unset', { HOOK_SECRET: undefined }, /^HOOK_SECRET is not set/],
    ['the secret is malformed', { HOOK_SECRET: 's3cret' }, /^HOOK_SECRET is not a Standard Webhooks secret: it must start with whsec_/],
  ])('%s: skipped, nothing sent, a one-line error that never shows the value', async (_name, env, message) => {
    const r = await recv(200);
    const res = await send(r, env);
    expect(res).toMatchObject({ ok: false, retryable: true, skipped: true });
    expect(res.error).toMatch(message);
    expect(res.error).not.toContain('\n');
    expect(res.error).not.toContain('s3cret');
    expect(r.received).toHaveLength(0);
  });
});

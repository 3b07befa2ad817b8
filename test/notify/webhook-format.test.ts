import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { secretKey, sign, webhookPayload, webhookRequest } from '../../src/core/notify/webhook.js';
import { EVENTS, SECRET } from './fixtures.js';

const created = EVENTS['proposal.created']!;
const now = () => Math.floor(Date.now() / 1000);

describe('webhook format (Standard Webhooks)', () => {
  it('the standardwebhooks package verifies our signature and returns the payload', () => {
    const ts = now();
    const req = webhookRequest(created, ts, secretKey(SECRET, 'HOOK_SECRET'));
    const verified = new Webhook(SECRET).verify(req.body, req.headers) as Record<string, unknown>;
    expect(verified).toEqual(JSON.parse(req.body));
    expect(req.headers['webhook-id']).toBe(created.id);
    expect(req.headers['webhook-timestamp']).toBe(String(ts));
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('matches the reference signer byte for byte', () => {
    const ts = 1_700_000_000;
    const body = JSON.stringify(webhookPayload(created));
    expect(sign(created.id, ts, body, secretKey(SECRET, 'V'))).toBe(new Webhook(SECRET).sign(created.id, new Date(ts * 1000), body));
  });

  it('a tampered body, another secret or an old timestamp fails verification', () => {
    const req = webhookRequest(created, now(), secretKey(SECRET, 'V'));
    const wh = new Webhook(SECRET);
    expect(() => wh.verify(req.body.replace('analytics.users', 'analytics.userz'), req.headers)).toThrow(/signature/i);
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 8).toString('base64')}`).verify(req.body, req.headers)).toThrow(/signature/i);
    const old = webhookRequest(created, now() - 3600, secretKey(SECRET, 'V'));
    expect(() => wh.verify(old.body, old.headers)).toThrow(/timestamp/i);
  });

  it('the body is {type, timestamp, data} and the same on every attempt; only the timestamp header and signature change', () => {
    const key = secretKey(SECRET, 'V');
    const a = webhookRequest(created, 1_700_000_000, key);
    const b = webhookRequest(created, 1_700_000_060, key);
    expect(a.body).toBe(b.body);
    expect(a.headers['webhook-id']).toBe(b.headers['webhook-id']);
    expect(a.headers['webhook-signature']).not.toBe(b.headers['webhook-signature']);
    const p = JSON.parse(a.body);
    expect(Object.keys(p)).toEqual(['type', 'timestamp', 'data']);
    expect(p).toMatchObject({ type: 'proposal.created', timestamp: created.at, data: { schema_version: 'tessera.event/v1', id: created.id, asset: 'analytics.users', proposal: 'p-3f9a2c1d', pending: ['growth', 'finance'] } });
  });

  it('a payload field cannot shadow the id, commit or audience', () => {
    const p = webhookPayload({ ...created, data: { ...created.data, id: 'evt_forged', audience: ['evil'], commit: 'b'.repeat(40) } });
    expect(p.data).toMatchObject({ id: created.id, audience: created.audience, commit: created.commit });
  });

  it('without a key the request is unsigned', () => {
    const req = webhookRequest(created, now());
    expect(req.headers['webhook-signature']).toBeUndefined();
    expect(req.headers['webhook-id']).toBe(created.id);
  });

  it.each([
    ['no prefix', Buffer.alloc(32, 7).toString('base64'), /must start with whsec_/],
    ['not base64', 'whsec_not*base64!', /not base64/],
    ['too short', `whsec_${Buffer.alloc(8).toString('base64')}`, /8 bytes, not 24 to 64/],
  ])('a bad secret (%s) is a one-line error naming the variable and the fix', (_n, secret, msg) => {
    let err: unknown;
    try { secretKey(secret, 'HOOK_SECRET'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(Error);
    const line = (err as { oneLine(): string }).oneLine();
    expect(line).toMatch(msg);
    expect(line).toMatch(/^HOOK_SECRET .*openssl rand -base64 32/);
    expect(line).not.toContain('\n');
  });
});

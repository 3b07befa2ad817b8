import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { emailMessage } from '../../src/core/notify/email.js';
import { transports } from '../../src/notify/transports.js';
import { channel, EVENTS } from './fixtures.js';
import { closers, plainPart, smtpServer } from './smtp-server.js';

afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const created = EVENTS['proposal.created']!;
const mail = channel('email', { name: 'finance-mail', teams: ['finance'], url_env: 'SMTP_URL', to: ['finance@example.com', 'data@example.com'] });

describe('email format', () => {
  it('a subject, a short plain text with the ack command, and the same in escaped HTML', () => {
    const m = emailMessage(created, mail);
    expect(m.subject).toBe('[tessera] Breaking change proposed: analytics.users 1.0.0 → 2.0.0');
    expect(m.text).toContain('Changes:\n- breaking column.removed at /properties/email: column email was removed\n- compatible column.added');
    expect(m.text).toContain('Still to answer: growth, finance\n\nTo answer:\n  tessera ack p-3f9a2c1d --team finance\n\nOpen: http://tessera.example/proposals/p-3f9a2c1d');
    expect(m.text).not.toContain('--team growth');
    expect(m.html).toContain('<a href="http://tessera.example/proposals/p-3f9a2c1d">Open in Tessera</a>');
    expect(m.messageId).toBe(`<${created.id}@tessera.notify>`);
  });

  it('user text cannot inject HTML or a header', () => {
    const m = emailMessage({ ...created, asset: 'x\r\nBcc: all@example.com', actor: '<script>alert(1)</script>' }, mail);
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;');
  });
});

describe('smtp transport against a real SMTP server', () => {
  it('delivers one message to every recipient, authenticated, from the ?from= sender', async () => {
    const s = await smtpServer();
    const res = await transports.email.send(mail, created, { SMTP_URL: `smtp://alice:s3cret@127.0.0.1:${s.port}?from=tessera@example.com` }, 5000);
    expect(res).toEqual({ ok: true, retryable: false });
    expect(s.got).toHaveLength(1);
    const g = s.got[0]!;
    expect(g).toMatchObject({ from: 'tessera@example.com', to: ['finance@example.com', 'data@example.com'], user: 'alice' });
    expect(g.raw).toMatch(/^Message-ID: <evt_0123456789abcdef01234567@tessera\.notify>\r$/m);
    expect(plainPart(g.raw)).toBe(emailMessage(created, mail).text);
  });

  it('a wrong password is final (535), and the error never shows the URL', async () => {
    const s = await smtpServer();
    const res = await transports.email.send(mail, created, { SMTP_URL: `smtp://alice:wrong@127.0.0.1:${s.port}` }, 5000);
    expect(res).toMatchObject({ ok: false, retryable: false, status: 535 });
    expect(res.error).toMatch(/^SMTP 127\.0\.0\.1:\d+: .*535/);
    expect(res.error).not.toContain('wrong');
    expect(s.got).toHaveLength(0);
  });

  it('a transient refusal (451) is retryable', async () => {
    const s = await smtpServer({ rejectData: 451 });
    expect(await transports.email.send(mail, created, { SMTP_URL: `smtp://127.0.0.1:${s.port}` }, 5000)).toMatchObject({ ok: false, retryable: true, status: 451 });
  });

  it('one recipient refused, the other accepted: delivered (resending would repeat it), the refusal noted', async () => {
    const s = await smtpServer({ rejectRcpt: (a) => (a === 'data@example.com' ? 550 : undefined) });
    const res = await transports.email.send(mail, created, { SMTP_URL: `smtp://127.0.0.1:${s.port}` }, 5000);
    expect(res).toMatchObject({ ok: true, error: `127.0.0.1:${s.port} refused data@example.com` });
    expect(s.got.map((g) => g.to)).toEqual([['finance@example.com']]);
  });

  it('every recipient refused: final', async () => {
    const s = await smtpServer({ rejectRcpt: () => 550 });
    expect(await transports.email.send(mail, created, { SMTP_URL: `smtp://127.0.0.1:${s.port}` }, 5000)).toMatchObject({ ok: false, retryable: false, status: 550 });
  });

  it('a server that never greets: returns at the timeout, retryable', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((sock) => sockets.push(sock));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => { for (const x of sockets) x.destroy(); silent.close(() => resolve()); }));
    const port = (silent.address() as AddressInfo).port;
    const t0 = Date.now();
    const res = await transports.email.send(mail, created, { SMTP_URL: `smtp://127.0.0.1:${port}` }, 400);
    expect(Date.now() - t0).toBeLessThan(2400);
    expect(res).toMatchObject({ ok: false, retryable: true });
    expect(res.error).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  it('a server that is down: retryable', async () => {
    const s = await smtpServer();
    await closers.pop()!();
    const res = await transports.email.send(mail, created, { SMTP_URL: `smtp://127.0.0.1:${s.port}` }, 5000);
    expect(res).toMatchObject({ ok: false, retryable: true });
    expect(res.error).toMatch(/^cannot reach 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  it.each([
    ['unset', {}, /^SMTP_URL is not set/],
    ['not smtp(s)', { SMTP_URL: 'http://127.0.0.1:25' }, /^SMTP_URL is a http URL: channel finance-mail needs smtp or smtps$/],
  ])('SMTP_URL %s: skipped, nothing sent', async (_n, env, msg) => {
    const res = await transports.email.send(mail, created, env, 5000);
    expect(res).toMatchObject({ ok: false, skipped: true });
    expect(res.error).toMatch(msg);
  });

  it('no recipients: skipped with the fix', async () => {
    const res = await transports.email.send({ ...mail, to: [] }, created, { SMTP_URL: 'smtp://127.0.0.1:1' }, 5000);
    expect(res).toMatchObject({ ok: false, skipped: true, error: 'channel finance-mail has no recipients: re-add it with --to ADDRESS' });
  });
});

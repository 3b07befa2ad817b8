/** A real SMTP server on 127.0.0.1 (smtp-server) for the email tests, and a reader of what it got. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Got { from: string; to: string[]; raw: string; user?: string }

/** A real SMTP server on 127.0.0.1 (smtp-server), without TLS, that keeps what it receives. */
export async function smtpServer(opts: { rejectRcpt?: (addr: string) => number | undefined; rejectData?: number } = {}) {
  const got: Got[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'alice' && auth.password === 's3cret') return cb(null, { user: 'alice' });
      cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(addr, _session, cb) {
      const code = opts.rejectRcpt?.(addr.address);
      if (code) return cb(Object.assign(new Error(`no such user ${addr.address}`), { responseCode: code }));
      cb();
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (raw += c));
      stream.on('end', () => {
        if (opts.rejectData) return cb(Object.assign(new Error('try again later'), { responseCode: opts.rejectData }));
        got.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, ...(session.user ? { user: String(session.user) } : {}) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { got, port };
}

/** Closers of every server started; the test file empties it after each test. */
export const closers: Array<() => Promise<void>> = [];

/** The decoded text/plain part of a raw message (nodemailer sends it quoted-printable). */
export function plainPart(raw: string): string {
  const boundary = /boundary="([^"]+)"/.exec(raw)?.[1];
  const esc = (boundary ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`Content-Type: text/plain[^\\r\\n]*\\r\\nContent-Transfer-Encoding: ([^\\r\\n]+)\\r\\n\\r\\n([\\s\\S]*?)\\r\\n--${esc}`, 'i').exec(raw);
  if (!m) throw new Error(`no text/plain part in:\n${raw}`);
  const [, enc, body] = m;
  if (enc!.toLowerCase() !== 'quoted-printable') return body!.replace(/\r\n/g, '\n');
  const bytes = body!.replace(/=\r\n/g, '').replace(/\r\n/g, '\n');
  return Buffer.from(bytes.replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}


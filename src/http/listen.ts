/** What the two HTTP adapters (tessera ui, tessera serve) share about their sockets: the address to show, and bounded bodies. */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The base URL a client can use: a wildcard bind is reached on loopback. */
export function baseUrl(addr: AddressInfo): string {
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const urlHost = shownHost === '0.0.0.0' || shownHost === '[::]' ? '127.0.0.1' : shownHost;
  return `http://${urlHost}:${addr.port}`;
}

/** The body as text, refused with `tooLarge()` past `max` bytes (from Content-Length when declared, before reading). */
export function readBody(req: IncomingMessage, max: number, tooLarge: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

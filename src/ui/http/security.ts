/**
 * The UI's guards. The server binds to loopback by default, but a browser
 * on the same machine also runs other sites' scripts, so:
 * - Host must name the address we are bound to (stops DNS rebinding: a
 *   hostile name resolved to 127.0.0.1 still sends its own name as Host);
 * - a POST must come from our own origin (Origin / Sec-Fetch-Site) and carry
 *   the per-process token embedded in our forms (stops cross-site POSTs);
 *   the token is compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import os from 'node:os';
import type { IncomingMessage } from 'node:http';

const WILDCARDS = new Set(['0.0.0.0', '::', '']);
const LOOPBACKS = new Set(['127.0.0.1', '::1', 'localhost']);

function hostPart(host: string): string {
  return host.includes(':') && isIP(host) === 6 ? `[${host}]` : host;
}

export class Guard {
  readonly token = randomBytes(32).toString('base64url');
  private readonly tokenDigest = createHash('sha256').update(this.token).digest();
  private readonly exact = new Set<string>();
  private readonly anyIpLiteral: boolean;

  constructor(
    boundHost: string,
    readonly port: number,
  ) {
    const h = boundHost.toLowerCase();
    this.anyIpLiteral = WILDCARDS.has(h);
    const names = new Set<string>([hostPart(h)]);
    if (LOOPBACKS.has(h) || this.anyIpLiteral) {
      names.add('localhost');
      names.add('127.0.0.1');
      names.add('[::1]');
    }
    if (this.anyIpLiteral) names.add(os.hostname().toLowerCase());
    for (const n of names) this.exact.add(`${n}:${port}`);
  }

  /** Whether a Host header (or an Origin's host) names this server. */
  hostAllowed(host: string | undefined): boolean {
    if (!host) return false;
    const h = host.toLowerCase();
    if (this.exact.has(h)) return true;
    if (!this.anyIpLiteral) return false;
    // Bound to every interface: any IP literal is fine (no DNS, so no rebinding).
    const m = /^(\[[0-9a-f:.]+\]|[0-9.]+):(\d+)$/.exec(h);
    if (!m || Number(m[2]) !== this.port) return false;
    const ip = m[1]!.replace(/^\[|\]$/g, '');
    return isIP(ip) !== 0;
  }

  /** A state-changing request must come from one of our own pages. */
  sameOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (origin === 'null') return false;
      try {
        const u = new URL(origin);
        if (u.protocol !== 'http:' || !this.hostAllowed(u.host)) return false;
      } catch {
        return false;
      }
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
    return true;
  }

  tokenValid(candidate: string | undefined): boolean {
    if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 200) return false;
    // Equal-length digests: timingSafeEqual needs equal lengths, and the digest hides ours.
    return timingSafeEqual(createHash('sha256').update(candidate).digest(), this.tokenDigest);
  }
}

/** Response headers for every page: no framing, no sniffing, only our own script and style. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

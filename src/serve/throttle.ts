/**
 * Failed key checks per client address: past `limit` failures within
 * `windowMs`, the address is refused (429) before its key is looked at, so
 * guessing keys costs the guesser a minute per ten tries and the server no
 * scrypt. The address is the socket's: behind a proxy every client shares
 * the proxy's (no forwarded header is trusted, as any client can send one).
 */
export interface ThrottleOptions {
  limit?: number;
  windowMs?: number;
  /** Wall-clock milliseconds; TESSERA_NOW (the registry's notion of now) must not stretch or freeze a lockout. */
  now?: () => number;
}

/** Addresses remembered at most; past it, the longest-quiet ones are forgotten first (a flood of addresses cannot grow memory). */
const MAX_ADDRESSES = 10_000;

export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: ThrottleOptions = {}) {
    this.limit = options.limit ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Seconds until the address may try again, or undefined when it may now. */
  retryAfter(address: string): number | undefined {
    const recent = this.recent(address);
    if (recent.length < this.limit) return undefined;
    return Math.max(1, Math.ceil((recent[recent.length - this.limit]! + this.windowMs - this.now()) / 1000));
  }

  fail(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    // Only the newest `limit` matter for the decision.
    if (recent.length > this.limit) recent.splice(0, recent.length - this.limit);
    // Re-inserted last: Map order is then quietest first.
    this.failures.delete(address);
    this.failures.set(address, recent);
    if (this.failures.size > MAX_ADDRESSES) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(address: string): number[] {
    const list = this.failures.get(address);
    if (!list) return [];
    const since = this.now() - this.windowMs;
    while (list.length && list[0]! <= since) list.shift();
    if (list.length === 0) this.failures.delete(address);
    return list;
  }
}

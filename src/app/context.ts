/**
 * The use-case layer's view of the world: an open registry, who is acting
 * and when. Adapters (cli/, ui/, serve/) open the registry and build this;
 * a workflow in app/ plans with core/, applies through registry/, and
 * returns an Outcome. It never prints and never reads process.argv.
 */
import type { Repository } from '../registry/repository.js';
import type { Identity } from '../registry/commit-writer.js';
import type { DomainEvent } from '../core/events.js';

export interface AppContext {
  repo: Repository;
  identity: () => Promise<Identity>;
  now: () => Date;
}

/** What a write workflow did: its own result, the commits it made per ref, and the domain events they carry. */
export interface Outcome<R> {
  result: R;
  commits: Record<string, string>;
  events: DomainEvent[];
  retries: number;
}

export function isoNow(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function unixSeconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/** Filtering the audit log (pure): event prefix, asset, team, time window. */
import type { LogEntry } from '../../registry/log.js';
import type { LogFilter, LogPage } from '../model.js';

export function matchesLog(e: LogEntry, f: LogFilter): boolean {
  if (f.asset && !e.assets.includes(f.asset)) return false;
  if (f.team && e.team !== f.team && e.actor !== f.team) return false;
  if (f.event && e.event !== f.event && !e.event.startsWith(f.event)) return false;
  // Times are ISO with offsets; compare instants, accept a bare date for since/until.
  const t = Date.parse(e.time);
  if (f.since) {
    const s = Date.parse(f.since);
    if (!Number.isNaN(s) && t < s) return false;
  }
  if (f.until) {
    const u = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(f.until) ? `${f.until}T23:59:59.999Z` : f.until);
    if (!Number.isNaN(u) && t > u) return false;
  }
  return true;
}

export function logPage(entries: LogEntry[], filter: LogFilter, limit: number): LogPage {
  const matched = entries.filter((e) => matchesLog(e, filter));
  const events = [...new Set(entries.map((e) => e.event))].sort();
  return { filter, total: matched.length, entries: matched.slice(0, limit), limit, events };
}

/** `tessera log --event quality`: each quality.recorded commit expanded into its events, read from the run file at that commit. */
import type { Repository } from '../../registry/repository.js';
import type { LogEntry } from '../../registry/log.js';
import { readQualityRunAt } from '../../registry/quality.js';
import { printJson, printLine } from '../output.js';

export async function qualityRows(repo: Repository, entries: LogEntry[], o: { asset?: string; limit: number; json: boolean }): Promise<number> {
  const rows: Array<Record<string, unknown>> = [];
  for (const e of entries) {
    if (e.event !== 'quality.recorded' || rows.length >= o.limit) continue;
    const invocation = e.trailers['Tessera-Invocation']?.[0];
    const run = invocation ? await readQualityRunAt(repo, e.commit, invocation) : undefined;
    for (const ev of run?.events ?? []) {
      if (o.asset && ev.asset !== o.asset) continue;
      rows.push({ commit: e.commit, time: e.time, event: 'quality.recorded', actor: e.actor, ...ev });
      if (rows.length >= o.limit) break;
    }
  }
  if (o.json) {
    printJson({ count: rows.length, events: rows });
    return 0;
  }
  if (rows.length === 0) printLine('No events match.');
  for (const r of rows) {
    const g = r['guarantee'] as { kind: string; column?: string };
    const failures = r['failures'] !== undefined ? `  failures ${String(r['failures'])}` : '';
    printLine(`${String(r['executed_at'] ?? r['time'])}  ${String(r['status']).padEnd(7)} ${String(r['asset'])}  ${g.kind}${g.column ? `(${g.column})` : ''}${failures}  ${String(r['invocation_id'] ?? '')}`);
  }
  return 0;
}

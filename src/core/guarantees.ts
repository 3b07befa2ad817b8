/**
 * Data-quality guarantee changes between two contract versions. A removed
 * or weakened guarantee is a problem for consumers that relied on it; how
 * much of one depends on the asset's guarantee_mode:
 *   strict -> breaking (needs a proposal), notify -> warning, ignore -> not reported.
 */
import type { Guarantee, GuaranteeMode } from './model.js';

export type GuaranteeSeverity = 'info' | 'warning' | 'breaking';

export interface GuaranteeChange {
  rule: 'GUARANTEE_REMOVED' | 'GUARANTEE_ADDED' | 'GUARANTEE_WEAKENED' | 'GUARANTEE_STRENGTHENED';
  guarantee: string;
  severity: GuaranteeSeverity;
  breaking: boolean;
  message: string;
}

/** A stable identity for a guarantee: kind + what it is about. */
export function guaranteeKey(g: Guarantee): string {
  const subject = g.column ?? (g.columns ? g.columns.join(',') : '') ?? '';
  return subject ? `${g.kind}(${subject})` : g.kind;
}

function sameValues(a: unknown[] | undefined, b: unknown[] | undefined): { added: unknown[]; removed: unknown[] } {
  const key = (v: unknown) => JSON.stringify(v);
  const as = new Set((a ?? []).map(key));
  const bs = new Set((b ?? []).map(key));
  return {
    added: (b ?? []).filter((v) => !as.has(key(v))),
    removed: (a ?? []).filter((v) => !bs.has(key(v))),
  };
}

const MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

/** A freshness threshold ({count, period}) in minutes; undefined when absent or unreadable. */
function thresholdMinutes(v: unknown): number | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { count, period } = v as { count?: unknown; period?: unknown };
  const unit = typeof period === 'string' ? MINUTES[period] : undefined;
  return typeof count === 'number' && unit !== undefined ? count * unit : undefined;
}

/** Whether a freshness guarantee now allows staler data: a threshold raised or dropped. */
function freshnessLoosened(a: Guarantee, b: Guarantee): boolean {
  for (const k of ['warn_after', 'error_after']) {
    const before = thresholdMinutes(a.config?.[k]);
    if (before === undefined) continue;
    const after = thresholdMinutes(b.config?.[k]);
    if (after === undefined || after > before) return true;
  }
  return false;
}

export function diffGuarantees(oldList: Guarantee[], newList: Guarantee[], mode: GuaranteeMode): GuaranteeChange[] {
  if (mode === 'ignore') return [];
  const problem: GuaranteeSeverity = mode === 'strict' ? 'breaking' : 'warning';
  const before = new Map(oldList.map((g) => [guaranteeKey(g), g]));
  const after = new Map(newList.map((g) => [guaranteeKey(g), g]));
  const out: GuaranteeChange[] = [];
  for (const [key, g] of before) {
    const next = after.get(key);
    // Freshness is about when rows arrive, not what they hold: a query still reads them, so at most a warning.
    const severity: GuaranteeSeverity = g.kind === 'freshness' ? 'warning' : problem;
    if (!next) {
      out.push({ rule: 'GUARANTEE_REMOVED', guarantee: key, severity, breaking: severity === 'breaking', message: `guarantee ${key} was removed` });
      continue;
    }
    if (g.kind === 'freshness' && freshnessLoosened(g, next)) {
      out.push({ rule: 'GUARANTEE_WEAKENED', guarantee: key, severity: 'warning', breaking: false, message: `guarantee ${key} now allows staler data` });
    }
    if (g.kind === 'accepted_values' || g.values || next.values) {
      // More accepted values = consumers may see values they do not handle.
      const { added, removed } = sameValues(g.values, next.values);
      if (added.length > 0) {
        out.push({ rule: 'GUARANTEE_WEAKENED', guarantee: key, severity: problem, breaking: problem === 'breaking', message: `guarantee ${key} now also accepts ${added.map((v) => JSON.stringify(v)).join(', ')}` });
      } else if (removed.length > 0) {
        out.push({ rule: 'GUARANTEE_STRENGTHENED', guarantee: key, severity: 'info', breaking: false, message: `guarantee ${key} no longer accepts ${removed.map((v) => JSON.stringify(v)).join(', ')}` });
      }
    }
    if ((g.severity ?? 'error') === 'error' && next.severity === 'warn') {
      out.push({ rule: 'GUARANTEE_WEAKENED', guarantee: key, severity: problem, breaking: problem === 'breaking', message: `guarantee ${key} was downgraded from error to warn` });
    }
  }
  for (const [key] of after) {
    if (!before.has(key)) out.push({ rule: 'GUARANTEE_ADDED', guarantee: key, severity: 'info', breaking: false, message: `guarantee ${key} was added` });
  }
  return out;
}

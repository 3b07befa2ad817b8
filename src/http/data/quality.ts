/**
 * Latest data-quality results for an asset, from `assets/<id>/quality.yaml`
 * when the registry has one (written by `tessera record-results`:
 * {asset, updated_at, results: [...]}, see assetQualitySchema in
 * core/quality.ts). The reader is tolerant: entries that do not validate are
 * skipped and reported, a missing file is simply no results, and the newest
 * result per guarantee (kind + column) wins when several checks cover one.
 */
import { parse } from 'yaml';
import { qualityEventSchema, type QualityEvent } from '../../core/quality.js';
import type { Guarantee } from '../../core/model.js';

export const qualityPath = (asset: string) => `assets/${asset}/quality.yaml`;

export function qualityKey(kind: string, column: string | undefined): string {
  return `${kind}|${column ?? ''}`;
}

export function guaranteeQualityKey(g: Guarantee): string {
  return qualityKey(g.kind, g.column ?? (g.columns ? g.columns.join(',') : undefined));
}

function candidates(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === 'object') {
    const o = doc as Record<string, unknown>;
    for (const k of ['events', 'results', 'latest', 'checks']) {
      const v = o[k];
      if (Array.isArray(v)) return v;
      if (v && typeof v === 'object') return Object.values(v as Record<string, unknown>);
    }
  }
  return [];
}

export interface ParsedQuality {
  latest: Map<string, QualityEvent>;
  problem?: string;
}

export function parseQuality(asset: string, text: string): ParsedQuality {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    return { latest: new Map(), problem: `quality.yaml is not valid YAML: ${(e as Error).message.split('\n')[0]}` };
  }
  const latest = new Map<string, QualityEvent>();
  let skipped = 0;
  for (const item of candidates(doc)) {
    const withAsset = item && typeof item === 'object' && !('asset' in item) ? { ...(item as object), asset } : item;
    const r = qualityEventSchema.safeParse(withAsset);
    if (!r.success || r.data.asset !== asset) {
      skipped++;
      continue;
    }
    const key = qualityKey(r.data.guarantee.kind, r.data.guarantee.column);
    const prev = latest.get(key);
    if (!prev || (r.data.executed_at ?? '') >= (prev.executed_at ?? '')) latest.set(key, r.data);
  }
  return skipped > 0 ? { latest, problem: `${skipped} entr${skipped === 1 ? 'y' : 'ies'} of quality.yaml could not be read` } : { latest };
}

/**
 * A data-quality event: the outcome of one check of one guarantee of one
 * asset, e.g. a dbt test result. Events are facts about a run, kept apart
 * from contracts: a failing test does not change what the producer promised.
 */
import { z } from 'zod';
import { assetId } from './model.js';

export const QUALITY_STATUSES = ['pass', 'fail', 'warn', 'error', 'skipped'] as const;
export const qualityStatusSchema = z.enum(QUALITY_STATUSES);
export type QualityStatus = z.infer<typeof qualityStatusSchema>;

export const qualityEventSchema = z.object({
  asset: assetId,
  /** Which guarantee was checked: its kind, and its column when it has one. */
  guarantee: z.object({
    kind: z.string().min(1).max(200),
    column: z.string().optional(),
  }),
  /** The check's identity in its system, e.g. a dbt test unique_id. */
  test: z.string().min(1),
  status: qualityStatusSchema,
  /** Rows that failed the check, when the system counts them. */
  failures: z.number().int().nonnegative().optional(),
  invocation_id: z.string().optional(),
  executed_at: z.string().optional(),
  /** Seconds. */
  execution_time: z.number().nonnegative().optional(),
  message: z.string().optional(),
});
export type QualityEvent = z.infer<typeof qualityEventSchema>;

/** Run ids become file names: dbt invocation ids are UUIDs; allow a safe superset. */
export const INVOCATION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export const invocationIdSchema = z.string().regex(INVOCATION_ID_PATTERN);

/** `quality/runs/<invocation_id>.yaml`: every event of one dbt invocation, written once. */
export const qualityRunSchema = z.object({
  invocation_id: invocationIdSchema,
  recorded_at: z.string().min(1),
  recorded_by: z.string().min(3).max(320),
  dbt_version: z.string().optional(),
  /** What produced the results, e.g. `build` or `test` (run_results args.which). */
  command: z.string().optional(),
  events: z.array(qualityEventSchema),
});
export type QualityRun = z.infer<typeof qualityRunSchema>;

/** One guarantee's latest result inside `assets/<id>/quality.yaml`. */
export const latestResultSchema = qualityEventSchema.omit({ asset: true }).extend({
  recorded_at: z.string().min(1),
});
export type LatestResult = z.infer<typeof latestResultSchema>;

/** `assets/<id>/quality.yaml`: the latest result per guarantee (keyed by the check's `test`), overwritten by each recording. */
export const assetQualitySchema = z.object({
  asset: assetId,
  updated_at: z.string().min(1),
  results: z.array(latestResultSchema),
});
export type AssetQuality = z.infer<typeof assetQualitySchema>;

export const qualityRunPath = (invocationId: string) => `quality/runs/${invocationId}.yaml`;
export const assetQualityPath = (asset: string) => `assets/${asset}/quality.yaml`;

/**
 * Fold new events into an asset's latest results: one entry per check
 * (`test`), replaced unless the stored result is newer (an older run
 * recorded late never hides a newer outcome). Pure; sorted by guarantee.
 */
export function mergeLatest(existing: AssetQuality | undefined, asset: string, events: readonly QualityEvent[], recordedAt: string): AssetQuality {
  const byTest = new Map<string, LatestResult>();
  for (const r of existing?.results ?? []) byTest.set(r.test, r);
  for (const e of events) {
    const prev = byTest.get(e.test);
    if (prev?.executed_at && e.executed_at && prev.executed_at > e.executed_at) continue;
    const { asset: _asset, ...rest } = e;
    byTest.set(e.test, { ...rest, recorded_at: recordedAt });
  }
  const key = (r: LatestResult) => `${r.guarantee.kind}\u0000${r.guarantee.column ?? ''}\u0000${r.test}`;
  const results = [...byTest.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { asset, updated_at: recordedAt, results };
}

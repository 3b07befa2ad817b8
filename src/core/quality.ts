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

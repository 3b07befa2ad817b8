/**
 * run_results.json (v4 to v6, dbt 1.0+) -> quality events: one per data-test
 * result, attached to the asset and guarantee the plan made from that test.
 * Runs that execute no test (docs generate, compile) carry no outcome: their
 * test results say `success`, which only means "compiled".
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { qualityEventSchema, type QualityEvent, type QualityStatus } from '../core/quality.js';
import { artifactVersion, type DbtManifest } from './manifest.js';
import type { DbtPlan } from './plan.js';

const MIN_RUN_RESULTS_VERSION = 4;
/** `args.which` of commands that compile tests without running them. */
const NO_OUTCOME_COMMANDS: ReadonlySet<string> = new Set(['generate', 'compile', 'parse', 'list', 'ls', 'docs']);
const STATUSES: ReadonlySet<string> = new Set<QualityStatus>(['pass', 'fail', 'warn', 'error', 'skipped']);

function opt<T extends z.ZodType>(schema: T) {
  return schema.nullish().catch(undefined);
}

const timingSchema = z.looseObject({ name: opt(z.string()), started_at: opt(z.string()), completed_at: opt(z.string()) });

const resultSchema = z.looseObject({
  unique_id: z.string(),
  status: opt(z.string()),
  failures: opt(z.number()),
  message: opt(z.string()),
  execution_time: opt(z.number()),
  timing: opt(z.array(timingSchema)).transform((v) => v ?? []),
});

export const runResultsSchema = z.looseObject({
  metadata: z.looseObject({
    dbt_schema_version: opt(z.string()),
    dbt_version: opt(z.string()),
    invocation_id: opt(z.string()),
    generated_at: opt(z.string()),
  }),
  results: z.array(z.unknown()),
  args: opt(z.looseObject({ which: opt(z.string()) })),
});

export interface QualityEventsResult {
  events: QualityEvent[];
  /** True when the run executed no test (docs generate, compile...): nothing to record. */
  noOutcome: boolean;
  /** Results of models, seeds, snapshots, operations, unit tests: not data tests. */
  skippedNonTests: number;
  /** Test unique_ids whose result matched no planned guarantee (filtered out, unattached, unknown to the manifest, odd status). */
  unmatched: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseRunResults(json: unknown): z.infer<typeof runResultsSchema> & { schemaVersion: number } {
  const hint = 'pass target/run_results.json written by dbt >= 1.0 (dbt build or dbt test)';
  if (!isObject(json)) throw new InputError('not a dbt run_results.json: expected a JSON object', hint);
  const meta = json['metadata'];
  const declared = isObject(meta) ? artifactVersion(meta['dbt_schema_version']) : undefined;
  if (declared && declared.artifact !== 'run-results') {
    throw new InputError(`not a dbt run_results.json: this is a dbt ${declared.artifact} file (v${declared.version})`, hint);
  }
  if (!Array.isArray(json['results']) || !isObject(meta)) {
    throw new InputError(
      isObject(json['nodes']) ? 'not a dbt run_results.json: this looks like manifest.json (it has "nodes", no "results")' : 'not a dbt run_results.json: missing "metadata" or "results"',
      hint,
    );
  }
  if (!declared) throw new InputError('not a dbt run_results.json: metadata.dbt_schema_version is missing or unreadable', hint);
  if (declared.version < MIN_RUN_RESULTS_VERSION) {
    throw new InputError(`dbt run_results v${declared.version} is too old; Tessera reads v${MIN_RUN_RESULTS_VERSION} and newer`, 'rerun with dbt >= 1.0');
  }
  const parsed = runResultsSchema.safeParse(json);
  if (!parsed.success) throw new InputError(`unreadable dbt run_results.json: ${parsed.error.issues[0]?.message ?? 'invalid'}`, hint);
  return { ...parsed.data, schemaVersion: declared.version };
}

export function qualityEventsFromRunResults(runResults: unknown, manifest: DbtManifest, plan: DbtPlan): QualityEventsResult {
  const rr = parseRunResults(runResults);
  const which = rr.args?.which?.toLowerCase();
  const noOutcomeRun = which !== undefined && NO_OUTCOME_COMMANDS.has(which);

  const byTest = new Map<string, { asset: string; kind: string; column?: string }>();
  for (const a of plan.assets) {
    for (const g of a.guarantees) {
      if (g.source?.startsWith('test.')) byTest.set(g.source, g.column !== undefined ? { asset: a.id, kind: g.kind, column: g.column } : { asset: a.id, kind: g.kind });
    }
  }

  const events: QualityEvent[] = [];
  const unmatched: string[] = [];
  let skippedNonTests = 0;
  let withOutcome = 0;
  for (const raw of rr.results) {
    const parsed = resultSchema.safeParse(raw);
    if (!parsed.success) continue;
    const r = parsed.data;
    const node = manifest.nodes.get(r.unique_id);
    const type = node?.resource_type ?? r.unique_id.slice(0, Math.max(0, r.unique_id.indexOf('.')));
    if (type !== 'test') {
      skippedNonTests++;
      continue;
    }
    const status = r.status?.toLowerCase();
    if (noOutcomeRun || status === 'success') continue;
    withOutcome++;
    const target = byTest.get(r.unique_id);
    if (!target || !status || !STATUSES.has(status)) {
      unmatched.push(r.unique_id);
      continue;
    }
    const event: QualityEvent = {
      asset: target.asset,
      guarantee: target.column !== undefined ? { kind: target.kind, column: target.column } : { kind: target.kind },
      test: r.unique_id,
      status: status as QualityStatus,
    };
    if (typeof r.failures === 'number' && Number.isInteger(r.failures) && r.failures >= 0) event.failures = r.failures;
    if (rr.metadata.invocation_id) event.invocation_id = rr.metadata.invocation_id;
    const executedAt = r.timing.find((t) => t.name === 'execute')?.completed_at ?? rr.metadata.generated_at;
    if (executedAt) event.executed_at = executedAt;
    if (typeof r.execution_time === 'number' && r.execution_time >= 0) event.execution_time = r.execution_time;
    if (r.message) event.message = r.message;
    events.push(qualityEventSchema.parse(event));
  }
  events.sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : a.test < b.test ? -1 : a.test > b.test ? 1 : 0));
  return { events, noOutcome: noOutcomeRun || withOutcome === 0, skippedNonTests, unmatched: unmatched.sort() };
}

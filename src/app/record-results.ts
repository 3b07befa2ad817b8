/**
 * The record-results use case: dbt test outcomes -> data-quality events,
 * written in one commit: quality/runs/<invocation_id>.yaml (every event of
 * the run) and assets/<id>/quality.yaml (latest result per guarantee).
 * Recording the same invocation twice writes nothing; runs without test
 * outcomes (docs generate, compile) write nothing.
 *
 * Two steps, so that bad input is reported before anything about the
 * registry: prepareRecordResults (pure) and recordResults (the write).
 */
import type { AppContext, Outcome } from './context.js';
import { writeMain } from './write-main.js';
import { withFile, planManifest } from './sync-dbt/manifest.js';
import { qualityEventsFromRunResults, type DbtManifest, type QualityEventsResult } from '../dbt/index.js';
import type { parseRunResults } from '../dbt/index.js';
import { assetQualityPath, assetQualitySchema, INVOCATION_ID_PATTERN, mergeLatest, qualityRunPath, qualityRunSchema, type QualityEvent, type QualityRun } from '../core/quality.js';
import { encodeYaml } from '../core/codec.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { InputError } from '../core/errors.js';
import { assetPath, CONFIG_PATH, MAIN_REF } from '../core/paths.js';
import { assetSchema } from '../core/model.js';
import type { FileWrite } from '../core/plan-types.js';
import type { DomainEvent } from '../core/events.js';

export interface RecordResultsRequest {
  /** The run_results.json's name, as errors name it. */
  file: string;
  manifestFile: string;
  /** The run_results.json document, and the same validated (parseRunResults). */
  runResultsJson: unknown;
  runResults: ReturnType<typeof parseRunResults>;
  manifest: DbtManifest;
}

export interface PreparedResults {
  file: string;
  manifestFile: string;
  invocation: string | undefined;
  /** dbt's command (`build`, `test`, ...), when the run says. */
  command: string | undefined;
  dbtVersion: string | undefined;
  events: QualityEventsResult;
}

export interface RecordResultsResult {
  action: 'recorded' | 'already-recorded';
  /** The events about assets in the registry (all recorded, or already recorded). */
  events: QualityEvent[];
  assets: string[];
  /** Assets the results are about that the registry does not hold. */
  unknownAssets: string[];
  commit?: string;
}

/** A failing result (its consumers and owner hear of it); a warning is not one. */
const FAILING = new Set<QualityEvent['status']>(['fail', 'error']);

/**
 * The quality events of the run, matched to the manifest's guarantees.
 * InputError when the run has outcomes but no usable invocation id (the
 * record's name); `events.noOutcome` when there is nothing to record.
 */
export function prepareRecordResults(request: RecordResultsRequest): PreparedResults {
  const { file, manifestFile, manifest, runResults: rr } = request;
  const plan = planManifest(manifestFile, manifest, {});
  const events = withFile(file, () => qualityEventsFromRunResults(request.runResultsJson, manifest, plan));
  const invocation = rr.metadata.invocation_id ?? undefined;
  const prepared: PreparedResults = { file, manifestFile, invocation, command: rr.args?.which ?? undefined, dbtVersion: rr.metadata.dbt_version ?? undefined, events };
  if (!events.noOutcome && (!invocation || !INVOCATION_ID_PATTERN.test(invocation))) {
    throw new InputError(`${file}: metadata.invocation_id is ${invocation ? 'not a usable id' : 'missing'}`, 'record the run_results.json written by dbt itself');
  }
  return prepared;
}

export function countStatuses(events: readonly QualityEvent[]): string {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, n]) => `${n} ${s}`).join(', ');
}

/**
 * Events: quality.recorded for the commit, then quality.failed per asset
 * with a failing result (team: the asset's owner), all with its commit id.
 */
export async function recordResults(ctx: AppContext, prepared: PreparedResults): Promise<Outcome<RecordResultsResult>> {
  const { file, manifestFile, events: found } = prepared;
  const invocation = prepared.invocation!;
  const runPath = qualityRunPath(invocation);
  const assetIds = [...new Set(found.events.map((e) => e.asset))].sort();
  let failing: Array<{ asset: string; owner: string | undefined }> = [];
  let actor = '';
  let at = '';
  const { result, commit, retries } = await writeMain<RecordResultsResult>(
    ctx,
    async ({ snap, actor: who, now }) => {
      actor = who.email;
      at = now;
      failing = [];
      const known = assetIds.filter((id) => snap.has(assetPath(id)));
      const unknownAssets = assetIds.filter((id) => !snap.has(assetPath(id)));
      const events = found.events.filter((e) => known.includes(e.asset));
      if (snap.has(runPath)) return { files: [], message: '', result: { action: 'already-recorded', events, assets: known, unknownAssets } };
      if (events.length === 0) {
        throw new InputError(`none of the ${found.events.length} test result(s) in ${file} is about an asset in the registry`, `sync the project first: tessera sync-dbt ${manifestFile}`);
      }
      const runRecord: QualityRun = { invocation_id: invocation, recorded_at: now, recorded_by: who.email, events };
      if (prepared.dbtVersion) runRecord.dbt_version = prepared.dbtVersion;
      if (prepared.command) runRecord.command = prepared.command;
      const files: FileWrite[] = [{ path: runPath, content: encodeYaml(runPath, qualityRunSchema, runRecord) }];
      const byAsset = new Map<string, QualityEvent[]>();
      for (const e of events) byAsset.set(e.asset, [...(byAsset.get(e.asset) ?? []), e]);
      for (const [asset, list] of byAsset) {
        const path = assetQualityPath(asset);
        const existing = await snap.read(path, assetQualitySchema);
        files.push({ path, content: encodeYaml(path, assetQualitySchema, mergeLatest(existing, asset, list, now)) });
        if (list.some((e) => FAILING.has(e.status))) failing.push({ asset, owner: (await snap.read(assetPath(asset), assetSchema))?.owner });
      }
      const message = formatCommitMessage(`record ${events.length} dbt test result(s): ${countStatuses(events)}`, { event: 'quality.recorded', actor: who.email, assets: known, extra: { Invocation: invocation } });
      return { files, message, result: { action: 'recorded', events, assets: known, unknownAssets } };
    },
    { pathspecs: [CONFIG_PATH, runPath, ...assetIds.flatMap((id) => [assetPath(id), assetQualityPath(id)])] },
  );
  if (!commit) return { result, commits: {}, events: [], retries };
  const base = { actor, at, commit };
  const events: DomainEvent[] = [
    { type: 'quality.recorded', ...base },
    ...failing.map((f): DomainEvent => ({ type: 'quality.failed', ...base, asset: f.asset, ...(f.owner ? { team: f.owner } : {}) })),
  ];
  return { result: { ...result, commit }, commits: { [MAIN_REF]: commit }, events, retries };
}

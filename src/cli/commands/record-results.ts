/**
 * `tessera record-results <run_results.json> --manifest <manifest.json>`:
 * dbt test outcomes -> data-quality events, written in one commit:
 * quality/runs/<invocation_id>.yaml (every event of the run) and
 * assets/<id>/quality.yaml (latest result per guarantee). Recording the same
 * invocation twice writes nothing; runs without test outcomes (docs
 * generate, compile) write nothing.
 */
import { withRegistry } from '../context.js';
import { writeMain } from '../../app/write-main.js';
import { printJson, printLine } from '../output.js';
import { loadManifest, loadRunResults, planManifest, withFile } from '../sync-dbt/input.js';
import { parseRunResults, qualityEventsFromRunResults } from '../../dbt/index.js';
import { assetQualityPath, assetQualitySchema, INVOCATION_ID_PATTERN, mergeLatest, qualityRunPath, qualityRunSchema, type QualityEvent, type QualityRun } from '../../core/quality.js';
import { encodeYaml } from '../../core/codec.js';
import { formatCommitMessage } from '../../core/commit-message.js';
import { InputError } from '../../core/errors.js';
import { assetPath, CONFIG_PATH } from '../../core/paths.js';
import type { FileWrite } from '../../core/plan-types.js';

type Outcome =
  | { action: 'recorded'; events: QualityEvent[]; assets: string[]; unknownAssets: string[] }
  | { action: 'already-recorded'; events: QualityEvent[]; assets: string[]; unknownAssets: string[] };

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const file = String(args[0]);
  const manifestFile = String(opts.manifest);
  const rrJson = await loadRunResults(file);
  const rr = withFile(file, () => parseRunResults(rrJson));
  const manifest = await loadManifest(manifestFile);
  const plan = planManifest(manifestFile, manifest, {});
  const result = withFile(file, () => qualityEventsFromRunResults(rrJson, manifest, plan));
  const invocation = rr.metadata.invocation_id ?? undefined;
  const base = { file, invocation_id: invocation ?? null, command: rr.args?.which ?? null, skipped_non_tests: result.skippedNonTests, unmatched: result.unmatched };

  if (result.noOutcome) {
    if (opts.json) printJson({ ...base, action: 'no-outcome', recorded: 0, events: [] });
    else printLine(`${file}: no test outcome to record (${rr.args?.which ? `dbt ${rr.args.which}` : 'tests were compiled, not run'}); nothing written`);
    return 0;
  }
  if (!invocation || !INVOCATION_ID_PATTERN.test(invocation)) {
    throw new InputError(`${file}: metadata.invocation_id is ${invocation ? 'not a usable id' : 'missing'}`, 'record the run_results.json written by dbt itself');
  }
  const runPath = qualityRunPath(invocation);

  return withRegistry(opts, async (ctx) => {
    const assetIds = [...new Set(result.events.map((e) => e.asset))].sort();
    const { result: outcome, commit } = await writeMain<Outcome>(
      ctx,
      async ({ snap, actor, now }) => {
        const known = assetIds.filter((id) => snap.has(assetPath(id)));
        const unknownAssets = assetIds.filter((id) => !snap.has(assetPath(id)));
        const events = result.events.filter((e) => known.includes(e.asset));
        if (snap.has(runPath)) return { files: [], message: '', result: { action: 'already-recorded', events, assets: known, unknownAssets } };
        if (events.length === 0) {
          throw new InputError(`none of the ${result.events.length} test result(s) in ${file} is about an asset in the registry`, `sync the project first: tessera sync-dbt ${manifestFile}`);
        }
        const runRecord: QualityRun = { invocation_id: invocation, recorded_at: now, recorded_by: actor.email, events };
        if (rr.metadata.dbt_version) runRecord.dbt_version = rr.metadata.dbt_version;
        if (rr.args?.which) runRecord.command = rr.args.which;
        const files: FileWrite[] = [{ path: runPath, content: encodeYaml(runPath, qualityRunSchema, runRecord) }];
        const byAsset = new Map<string, QualityEvent[]>();
        for (const e of events) byAsset.set(e.asset, [...(byAsset.get(e.asset) ?? []), e]);
        for (const [asset, list] of byAsset) {
          const path = assetQualityPath(asset);
          const existing = await snap.read(path, assetQualitySchema);
          files.push({ path, content: encodeYaml(path, assetQualitySchema, mergeLatest(existing, asset, list, now)) });
        }
        const counts = countStatuses(events);
        const message = formatCommitMessage(`record ${events.length} dbt test result(s): ${counts}`, { event: 'quality.recorded', actor: actor.email, assets: known, extra: { Invocation: invocation } });
        return { files, message, result: { action: 'recorded', events, assets: known, unknownAssets } };
      },
      { pathspecs: [CONFIG_PATH, runPath, ...assetIds.flatMap((id) => [assetPath(id), assetQualityPath(id)])] },
    );
    if (opts.json) {
      printJson({ ...base, action: outcome.action, commit: commit ?? null, recorded: outcome.action === 'recorded' ? outcome.events.length : 0, assets: outcome.assets, unknown_assets: outcome.unknownAssets, events: outcome.events });
      return 0;
    }
    if (outcome.action === 'already-recorded') printLine(`invocation ${invocation} is already recorded; nothing written`);
    else printLine(`recorded ${outcome.events.length} test result(s) on ${outcome.assets.length} asset(s) (${countStatuses(outcome.events)}) from invocation ${invocation}`);
    if (outcome.unknownAssets.length) printLine(`skipped results of ${outcome.unknownAssets.length} asset(s) not in the registry: ${outcome.unknownAssets.slice(0, 5).join(', ')}${outcome.unknownAssets.length > 5 ? ', ...' : ''} (run tessera sync-dbt first)`);
    if (result.unmatched.length) printLine(`${result.unmatched.length} test result(s) matched no guarantee: ${result.unmatched.slice(0, 3).join(', ')}${result.unmatched.length > 3 ? ', ...' : ''}`);
    return 0;
  }, { writes: true });
}

function countStatuses(events: readonly QualityEvent[]): string {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, n]) => `${n} ${s}`).join(', ');
}

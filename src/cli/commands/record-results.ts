/**
 * `tessera record-results <run_results.json> --manifest <manifest.json>`:
 * read both files, record the run's test outcomes (src/app/record-results.ts)
 * and say what was written.
 */
import { withRegistry } from '../context.js';
import { printJson, printLine } from '../output.js';
import { loadManifest, loadRunResults } from '../sync-dbt/input.js';
import { withFile } from '../../app/sync-dbt/manifest.js';
import { countStatuses, prepareRecordResults, recordResults } from '../../app/record-results.js';
import { parseRunResults } from '../../dbt/index.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const file = String(args[0]);
  const manifestFile = String(opts.manifest);
  const runResultsJson = await loadRunResults(file);
  // Validated before the manifest is read: a bad run_results.json is the error a user sees first.
  const runResults = withFile(file, () => parseRunResults(runResultsJson));
  const manifest = await loadManifest(manifestFile);
  const prepared = prepareRecordResults({ file, manifestFile, runResultsJson, runResults, manifest });
  const found = prepared.events;
  const base = { file, invocation_id: prepared.invocation ?? null, command: prepared.command ?? null, skipped_non_tests: found.skippedNonTests, unmatched: found.unmatched };

  if (found.noOutcome) {
    if (opts.json) printJson({ ...base, action: 'no-outcome', recorded: 0, events: [] });
    else printLine(`${file}: no test outcome to record (${prepared.command ? `dbt ${prepared.command}` : 'tests were compiled, not run'}); nothing written`);
    return 0;
  }

  return withRegistry(opts, async (ctx) => {
    const { result: outcome } = await recordResults(ctx, prepared);
    if (opts.json) {
      printJson({ ...base, action: outcome.action, commit: outcome.commit ?? null, recorded: outcome.action === 'recorded' ? outcome.events.length : 0, assets: outcome.assets, unknown_assets: outcome.unknownAssets, events: outcome.events });
      return 0;
    }
    if (outcome.action === 'already-recorded') printLine(`invocation ${prepared.invocation} is already recorded; nothing written`);
    else printLine(`recorded ${outcome.events.length} test result(s) on ${outcome.assets.length} asset(s) (${countStatuses(outcome.events)}) from invocation ${prepared.invocation}`);
    if (outcome.unknownAssets.length) printLine(`skipped results of ${outcome.unknownAssets.length} asset(s) not in the registry: ${outcome.unknownAssets.slice(0, 5).join(', ')}${outcome.unknownAssets.length > 5 ? ', ...' : ''} (run tessera sync-dbt first)`);
    if (found.unmatched.length) printLine(`${found.unmatched.length} test result(s) matched no guarantee: ${found.unmatched.slice(0, 3).join(', ')}${found.unmatched.length > 3 ? ', ...' : ''}`);
    return 0;
  }, { writes: true });
}

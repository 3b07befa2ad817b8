/**
 * `tessera sync-dbt <manifest.json>`: parse the options, read the manifest,
 * run the sync use case (src/app/sync-dbt.ts) and render its report as text,
 * JSON, GitHub workflow commands (+ step summary) or Markdown.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withRegistry } from '../context.js';
import { paint, printJson, printLines, resolveFormat } from '../output.js';
import { readManifestBytes } from '../sync-dbt/input.js';
import { gitDirOf } from '../../app/sync-dbt/memo.js';
import { prepareSyncDbt, syncDbt } from '../../app/sync-dbt.js';
import { locateRegistry } from '../../registry/locate.js';
import { PACKAGE_VERSION } from '../program.js';
import { startProgress } from '../sync-dbt/progress.js';
import { renderSyncGithub, renderSyncMarkdown, renderSyncText, syncJson, type SyncReport } from '../sync-dbt/render.js';
import { FAIL_ON, syncReport, type FailOn } from '../../app/sync-dbt/report.js';
import { resolvePullRequest } from '../sync-dbt/pull-request.js';
import { InputError } from '../../core/errors.js';
import { phase } from '../timings.js';

function emit(report: SyncReport, format: string, file: string, reportJson: string | undefined): number {
  // The JSON document beside the chosen format: the GitHub Action reads its outputs from it (scripts/action/run.mjs).
  if (reportJson) {
    try {
      writeFileSync(reportJson, JSON.stringify(syncJson(report), null, 2) + '\n');
    } catch (e) {
      process.stderr.write(`tessera: could not write --report-json ${reportJson} (${(e as Error).message.split('\n')[0]})\n`);
    }
  }
  if (format === 'json') printJson(syncJson(report));
  else if (format === 'markdown') printLines(renderSyncMarkdown(report));
  else if (format === 'github') {
    printLines(renderSyncGithub(report, file));
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (summary) {
      try {
        appendFileSync(summary, renderSyncMarkdown(report).join('\n') + '\n\n');
      } catch (e) {
        process.stderr.write(`tessera: could not append to GITHUB_STEP_SUMMARY (${(e as Error).message.split('\n')[0]})\n`);
      }
    }
  } else printLines(renderSyncText(report, paint()));
  return report.exitCode;
}

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const format = resolveFormat(opts, ['text', 'json', 'github', 'markdown']);
  const failOn = String(opts.failOn ?? 'breaking') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new InputError(`unknown --fail-on '${failOn}'`, `use one of: ${FAIL_ON.join(', ')}`);
  const dryRun = Boolean(opts.dryRun);
  const file = String(args[0]);
  const select = (opts.select as string[] | undefined) ?? [];
  const ownerDefault = opts.ownerDefault as string | undefined;
  const pullRequest = resolvePullRequest(opts);
  const reportJson = opts.reportJson === undefined ? undefined : String(opts.reportJson);
  // Refused before anything is written, so a CI step never syncs and then loses its outputs.
  if (reportJson !== undefined && !existsSync(path.dirname(path.resolve(reportJson)))) {
    throw new InputError(`--report-json ${reportJson}: no such directory ${path.dirname(path.resolve(reportJson))}`, 'pass a file in an existing directory, e.g. --report-json "$RUNNER_TEMP/tessera.json"');
  }

  const bytes = await readManifestBytes(file);
  const prepared = prepareSyncDbt({
    file,
    bytes,
    ...(ownerDefault !== undefined ? { ownerDefault } : {}),
    select,
    ...(pullRequest ? { pullRequest } : {}),
    dryRun,
    memo: opts.memo !== false && process.env.TESSERA_SYNC_MEMO !== '0',
    planCache: opts.planCache !== false && process.env.TESSERA_PLAN_CACHE !== '0',
    cacheDir: gitDirOf(locateRegistry(opts.registry as string | undefined)),
    tesseraVersion: PACKAGE_VERSION,
    phase,
  });
  const progress = await startProgress(format === 'text');

  try {
    return await withRegistry(opts, async (ctx) => {
      const { result: r } = await syncDbt(ctx, prepared, (text) => progress.step(text));
      progress.stop();
      const report = syncReport(r, file, dryRun, failOn);
      const code = emit(report, format, file, reportJson);
      // A memo answer printed its report before any phase after the registry opened.
      if (!r.fromMemo) phase('reported');
      return code;
    }, { writes: true, dryRun });
  } finally {
    progress.stop();
  }
}

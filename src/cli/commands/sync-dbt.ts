/**
 * `tessera sync-dbt <manifest.json>`: plan every dbt asset against the
 * registry (src/core/sync.ts) and write the whole run as ONE ref
 * transaction: one commit on main (new assets, compatible versions, teams,
 * consumer registrations, retirements) plus one proposal branch per breaking
 * change, all compare-and-swap together, re-planned if someone wins a race.
 *
 * Approved pull-request proposals whose contract the manifest makes merge
 * first, each in its own merge commit (proposal-flow's, with the ack commits
 * as parents, which `tessera verify` checks); the sync is then planned
 * against the main they left. `--pull-request` plans the same way and writes
 * only that pull request's proposals (docs/dbt.md, "Gating pull requests").
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withRegistry, isoNow, unixSeconds } from '../context.js';
import { paint, printJson, printLines, resolveFormat } from '../output.js';
import { readManifestBytes } from '../sync-dbt/input.js';
import { manifestSource, planCacheEnabled } from '../sync-dbt/planning.js';
import { buildId, findMemo, gitDirOf, memoEnabled, memoState, sameState, writeMemo, type MemoBase, type MemoState } from '../sync-dbt/memo.js';
import { locateRegistry } from '../../registry/locate.js';
import { PACKAGE_VERSION } from '../program.js';
import { readRegistryState } from '../sync-dbt/state.js';
import type { MergedProposal } from '../sync-dbt/render.js';
import { startProgress } from '../sync-dbt/progress.js';
import { hasWrites, renderSyncGithub, renderSyncMarkdown, renderSyncText, syncJson, type SyncReport } from '../sync-dbt/render.js';
import { foldMerges, planSync, reachesFailOn, type SyncPlan } from '../../core/sync.js';
import { proposalBranch, pullRequestName } from '../../core/proposal.js';
import { resolvePullRequest } from '../sync-dbt/pull-request.js';
import { mergeIfComplete } from '../../app/merge.js';
import { formatCommitMessage } from '../../core/commit-message.js';
import { InputError } from '../../core/errors.js';
import { encodedValue, rememberEncoded } from '../../core/codec.js';
import type { FileWrite } from '../../core/plan-types.js';
import { createHash } from 'node:crypto';
import { CONFIG_PATH, MAIN_REF, parseVersionPath } from '../../core/paths.js';
import { CONTRACT_DIGEST_ID, contractDigest } from '../../core/contract-digest.js';
import type { Version } from '../../core/model.js';
import { readConfig } from '../../registry/state.js';
import type { RefWrite } from '../../registry/repository.js';
import { globMatcher } from '../../dbt/select.js';
import { phase } from '../timings.js';

const FAIL_ON = ['breaking', 'warning', 'never'] as const;

/** The sync commit names each proposal it closes, so the log shows why a proposal went away. */
function withdrawnTrailers(plan: SyncPlan, extra: Record<string, string>): Record<string, string> {
  if (plan.withdrawn.length === 0) return extra;
  return { ...extra, 'Withdrawn-Proposals': plan.withdrawn.map((w) => w.id).join(' ') };
}
type FailOn = (typeof FAIL_ON)[number];

function subjectOf(plan: SyncPlan, project: string | undefined): string {
  if (plan.pullRequest) return `sync-dbt${project ? ` ${project}` : ''} pull request ${pullRequestName(plan.pullRequest)}: ${plan.withdrawn.length} proposal(s) withdrawn`;
  const c = plan.counts;
  const parts: string[] = [];
  if (c.created) parts.push(`${c.created} created`);
  if (c.published + c['published-major']) parts.push(`${c.published + c['published-major']} published`);
  if (c.restored) parts.push(`${c.restored} restored`);
  if (c.retired) parts.push(`${c.retired} retired`);
  if (plan.withdrawn.length) parts.push(`${plan.withdrawn.length} proposal(s) withdrawn`);
  if (plan.teamsCreated.length) parts.push(`${plan.teamsCreated.length} team(s)`);
  if (plan.consumersRegistered.length) parts.push(`${plan.consumersRegistered.length} consumer registration(s)`);
  return `sync-dbt${project ? ` ${project}` : ''}: ${parts.join(', ') || 'no contract changes'}`;
}

/**
 * Parse-cache entries for the files just written, by blob id: the next sync
 * reads them without parsing YAML. A version file is only ever compared by
 * its contract digest, so that is what is cached for it, not the file.
 */
function* writtenValues(files: readonly FileWrite[]): Generator<[string, unknown]> {
  for (const f of files) {
    if (f.content === null) continue;
    const value = encodedValue(f.content);
    if (value === undefined) continue;
    const body = Buffer.from(f.content, 'utf8');
    const oid = createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
    if (parseVersionPath(f.path)) {
      const v = value as Version;
      yield [`${CONTRACT_DIGEST_ID}:${oid}`, contractDigest(v.schema, v.guarantees)];
      continue;
    }
    // The validated value encodeYaml produced: a fresh object nothing else holds or changes, saved as JSON.
    yield [oid, value];
  }
}

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
  const gitDir = gitDirOf(locateRegistry(opts.registry as string | undefined));
  const source = manifestSource({ file, bytes, ownerDefault, select, cacheDir: gitDir, build: buildId(), readOnly: dryRun }, planCacheEnabled(opts));
  const memoOn = memoEnabled(opts);
  const memoBase: MemoBase | undefined = memoOn ? { tessera: PACKAGE_VERSION, manifest: source.content, ownerDefault: ownerDefault ?? null, select, project: source.header?.projectName ?? null, pullRequest: pullRequest?.id ?? null } : undefined;
  // A memo record for this content and these options: planning waits until the registry's state is known to differ.
  // Without one the manifest is planned first, as always, so its errors come before the registry's.
  const candidate = memoBase ? findMemo(gitDir, memoBase) : undefined;
  if (!candidate) source.plan();
  const matcher = globMatcher(select);
  const progress = await startProgress(format === 'text');

  try {
    return await withRegistry(opts, async (ctx) => {
      phase('registry opened');
      const actor = await ctx.identity();
      if (candidate && ctx.repo.gitDir === candidate.gitDir) {
        await ctx.repo.sync();
        const state = await memoState(ctx.repo, await ctx.repo.head(MAIN_REF), actor.email);
        if (sameState(state, candidate.record)) {
          progress.step('no changes: same manifest, same registry state as the last sync (memo; --no-memo to plan in full)');
          progress.stop();
          const r = candidate.record.result;
          return emit({ file, dryRun, failOn, manifest: source.header ?? r.manifest, totals: r.totals, plan: r.plan, warnings: r.warnings, exitCode: reachesFailOn(r.plan.findings, failOn) ? 1 : 0, merged: [] }, format, file, reportJson);
        }
      }
      const planned = source.plan();
      if (source.cached) progress.step('manifest planned before: plan read from the plan cache (--no-plan-cache to plan it again)');
      ctx.repo.useParseCache({ readOnly: dryRun });
      phase('parse cache opened');
      rememberEncoded(!dryRun);
      const at = ctx.now();
      const now = isoNow(at);
      let plannedState: MemoState | undefined;
      /** Set once the approved pull-request proposals have been merged: the next planning writes. */
      let merging = false;
      const once = () => ctx.repo.transact<SyncPlan>(
        async () => {
          const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, 'assets', 'teams', 'proposals']);
          phase('registry listed');
          const before = memoOn ? await memoState(ctx.repo, snap.commit, actor.email) : undefined;
          const config = await readConfig(snap);
          const contracts = planned.assets.map((a, i) => ({ id: a.id, digest: planned.digests[i]! }));
          // The project comes from this run's own metadata, never from a cached plan (the cache key leaves metadata out).
          const project = planned.header.projectName;
          const registry = await readRegistryState(ctx.repo, snap, config, contracts, { packages: planned.packages, ...(project ? { project } : {}), ...(matcher ? { matches: matcher } : {}) });
          phase('registry read');
          const plan = planSync({
            assets: planned.assets,
            teams: planned.teams,
            state: registry.state,
            missing: registry.missing,
            existingTeams: registry.existingTeams,
            config,
            actor: actor.email,
            now,
            takenProposalIds: registry.proposalIds,
            ...(project ? { project } : {}),
            ...(pullRequest ? { pullRequest } : {}),
          });
          phase('sync planned');
          // The state this plan was computed from, when nothing moved while it was read.
          plannedState = before && sameState(before, await memoState(ctx.repo, snap.commit, actor.email)) ? before : undefined;
          progress.step(`planned ${planned.assets.length} manifest assets against ${registry.assetCount} registry assets`);
          if (dryRun) return { writes: [], result: plan };
          // The merges go first, on their own (below): this plan was made against the main they change.
          if (plan.merges.length > 0 && !merging) return { writes: [], result: plan };
          const writes: RefWrite[] = [];
          const projectName = planned.header.projectName;
          const extra: Record<string, string> = { Source: 'dbt' };
          if (planned.header.invocationId) extra['Dbt-Invocation'] = planned.header.invocationId;
          if (pullRequest) extra['Pull-Request'] = pullRequest.id;
          if (plan.mainFiles.length > 0) {
            writes.push({
              ref: MAIN_REF,
              expectedOld: snap.commit,
              commit: {
                parents: snap.commit ? [snap.commit] : [],
                changes: plan.mainFiles,
                message: formatCommitMessage(subjectOf(plan, projectName), { event: 'dbt.synced', actor: actor.email, assets: [...new Set([...plan.assetsWritten, ...plan.withdrawn.map((w) => w.asset)])].sort(), extra: withdrawnTrailers(plan, extra) }),
              },
            });
          }
          for (const p of plan.proposals) {
            const pr = p.proposal;
            const retiring = pr.changes.some((c) => c.rule === 'ASSET_RETIRED');
            const verb = p.supersedes ? (retiring ? 'supersede (retire)' : 'supersede') : retiring ? 'propose retiring' : 'propose';
            // A replacement goes on top of the open branch, like publish --supersede; its new fingerprint makes earlier acks stale.
            writes.push({
              ref: proposalBranch(pr.id),
              expectedOld: p.supersedes?.head,
              commit: {
                parents: [p.supersedes?.head ?? snap.commit!],
                changes: p.files,
                message: formatCommitMessage(`${verb} ${pr.asset} ${pr.from_version} -> ${pr.to_version} (sync-dbt)`, { event: p.supersedes ? 'proposal.superseded' : 'proposal.created', actor: actor.email, assets: [pr.asset], version: pr.to_version, proposal: pr.id, team: p.owner, extra }),
              },
            });
          }
          // Withdrawn proposals: their records are in the main commit; the branch and ack refs go, compare-and-swap on each.
          for (const w of plan.withdrawn) {
            writes.push({ ref: proposalBranch(w.id), expectedOld: w.head, delete: true });
            for (const a of w.acks) writes.push({ ref: a.ref, expectedOld: a.commit, delete: true });
          }
          if (writes.length > 0) progress.step(`writing ${plan.mainFiles.length} file(s) on main and ${plan.proposals.length} proposal branch(es)`);
          return { writes, result: plan };
        },
        { author: actor, when: () => unixSeconds(at) },
      );
      let outcome = await once();
      const merged: MergedProposal[] = [];
      if (outcome.result.merges.length > 0 && !dryRun) {
        const first = outcome.result;
        for (const m of first.merges) {
          progress.step(`merging approved proposal ${m.id} (${m.asset} ${m.to_version})`);
          const r = await mergeIfComplete(ctx, m.id);
          if (r.merged) merged.push({ ...m, commit: r.commit ?? null });
        }
        merging = true;
        outcome = await once();
        outcome = { ...outcome, result: foldMerges(outcome.result, first, new Set(merged.map((m) => m.id))) };
      }
      progress.stop();

      const plan = outcome.result;
      if (outcome.commits[MAIN_REF]) ctx.repo.primeParseCache(writtenValues(plan.mainFiles));
      const report: SyncReport = {
        file,
        dryRun,
        failOn,
        manifest: planned.header,
        totals: planned.totals,
        plan,
        warnings: planned.warnings,
        exitCode: reachesFailOn(plan.findings, failOn) ? 1 : 0,
        merged,
        ...(outcome.commits[MAIN_REF] ? { commit: outcome.commits[MAIN_REF] } : {}),
      };
      // Nothing to write, computed from a state that did not move: remember it for the same manifest.
      if (memoBase && plannedState && !hasWrites(report) && !dryRun) {
        writeMemo(ctx.repo.gitDir, memoBase, plannedState, { manifest: report.manifest, totals: report.totals, warnings: report.warnings, plan });
      }
      const code = emit(report, format, file, reportJson);
      phase('reported');
      return code;
    }, { writes: true, dryRun });
  } finally {
    progress.stop();
  }
}

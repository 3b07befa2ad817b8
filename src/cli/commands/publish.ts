import { withRegistry, isoNow, unixSeconds } from '../context.js';
import { loadContractInput, planPublishOn } from '../publish-flow.js';
import { closeWrites, loadProposalState } from '../proposal-flow.js';
import { publishJson, renderPublishGithub, renderPublishMarkdown, renderPublishText, type PublishRenderInput } from '../render/publish.js';
import { paint, printJson, printLines, resolveFormat } from '../output.js';
import { forcedFiles, filesWithVia, type PublishDecision } from '../../core/publish.js';
import { newProposalId, planProposalBranch, proposalBranch } from '../../core/proposal.js';
import { formatCommitMessage, type Trailers } from '../../core/commit-message.js';
import { InputError, ExitCode, PolicyError } from '../../core/errors.js';
import { assetDir, CONFIG_PATH, MAIN_REF } from '../../core/paths.js';
import { findOpenProposal } from '../../registry/proposals.js';
import { requireAsset } from '../../registry/state.js';
import type { RefWrite } from '../../registry/repository.js';
import type { FileWrite } from '../../core/plan-types.js';
import { ruleById } from '../../core/diff/index.js';
import type { DiffOptions } from '../../core/diff/types.js';

interface Outcome {
  decision: PublishDecision;
  action: string;
  options: DiffOptions;
  notes: string[];
  extra: Record<string, unknown>;
  exitCode: number;
}

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const format = resolveFormat(opts, ['text', 'json', 'github', 'markdown']);
  const input = await loadContractInput(String(args[0]), String(args[1]), opts);
  const dryRun = Boolean(opts.dryRun);
  const force = Boolean(opts.force);
  const supersede = Boolean(opts.supersede);
  const reason = opts.reason as string | undefined;
  if (force && (!reason || !reason.trim())) throw new InputError('--force needs --reason', 'say why, e.g. --reason "consumers agreed in INC-42"; it is recorded');
  if (force && supersede) throw new InputError('--force and --supersede cannot be combined', 'choose one: publish over missing acks, or replace the open proposal');
  const asset = input.request.asset;

  return withRegistry(opts, async (ctx) => {
    const actor = await ctx.identity();
    const at = ctx.now();
    const now = isoNow(at);
    const outcome = await ctx.repo.transact<Outcome>(
      async () => {
        const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, assetDir(asset), 'teams']);
        const { config, decision, owner } = await planPublishOn(snap, input.request, actor.email, now, !dryRun);
        const options: DiffOptions = { mode: 'report' in decision ? decision.report.mode : 'backward', contentModel: input.request.contentModel ?? config.defaults.content_model, policy: 'strict', profile: 'tessera' };
        const result = (action: string, exitCode: number = ExitCode.Ok, notes: string[] = [], extra: Record<string, unknown> = {}): Outcome => ({ decision, options, action, notes, extra, exitCode });
        const trailers = (event: string, extra?: Record<string, string>): Trailers => ({
          event,
          actor: actor.email,
          assets: [asset],
          version: decision.version,
          ...(owner ? { team: owner } : {}),
          ...(extra ? { extra } : {}),
        });
        const onMain = (files: FileWrite[], subject: string, event: string, extra?: Record<string, string>): RefWrite => ({
          ref: MAIN_REF,
          expectedOld: snap.commit,
          commit: { parents: snap.commit ? [snap.commit] : [], changes: files, message: formatCommitMessage(subject, trailers(event, extra)) },
        });
        const plan = (writes: RefWrite[], r: Outcome) => ({ writes: dryRun ? [] : writes, result: r });

        if (decision.action === 'unchanged') return plan([], result('unchanged'));
        if (decision.action === 'created' || decision.action === 'published') {
          return plan([onMain(decision.files, `publish ${asset} ${decision.version}`, 'contract.published')], result('contract.published'));
        }

        const open = await findOpenProposal(ctx.repo, asset);
        if (force) {
          const state = open ? await loadProposalState(ctx, open) : undefined;
          const missing = state ? [...state.view.pending, ...state.view.blocked] : decision.consumers;
          const files = forcedFiles(decision, reason!, missing, open?.proposal.id);
          const notes = [`forced ${missing.length ? `without acknowledgments from ${missing.join(', ')}` : 'over the breaking-change check'}; reason recorded`];
          const writes = state
            ? closeWrites(state, snap.commit!, 'forced', actor.email, now, reason, files, `force-publish ${asset} ${decision.version} over proposal ${open!.proposal.id}`)
            : [onMain(files, `force-publish ${asset} ${decision.version}`, 'contract.forced', { Reason: reason! })];
          return plan(writes, result('contract.forced', ExitCode.Ok, notes, { missing_teams: missing, ...(open ? { proposal: open.proposal.id } : {}) }));
        }
        if (open && !supersede) {
          throw new PolicyError(`${asset} already has an open proposal ${open.proposal.id} (${open.proposal.from_version} -> ${open.proposal.to_version})`, `replace it with --supersede, or withdraw it: tessera withdraw ${open.proposal.id}`);
        }
        if (!open && decision.consumers.length === 0 && !config.policy.proposal_without_consumers) {
          const notes = ['breaking, but no team consumes this asset: published as a new major version'];
          return plan([onMain(filesWithVia(decision, 'no-consumers'), `publish ${asset} ${decision.version} (breaking, no consumers)`, 'contract.published')], result('contract.published', ExitCode.Ok, notes));
        }
        const current = snap.commit!;
        const assetNow = await requireAsset(snap, asset);
        const id = open?.proposal.id ?? newProposalId(asset, decision.version, now, actor.email);
        const { proposal, files } = planProposalBranch({
          id,
          asset: assetNow,
          newVersion: decision.newVersion,
          consumers: decision.consumers,
          author: actor.email,
          now,
          config,
          hints: decision.report.hints,
          ...(open ? { supersedes: { id: open.proposal.id, head: open.head, created_at: open.proposal.created_at, to_version: open.proposal.to_version } } : {}),
          ...(assetNow.downstream ? { downstream: assetNow.downstream } : {}),
        });
        const event = open ? 'proposal.superseded' : 'proposal.created';
        const message = formatCommitMessage(`${open ? 'supersede' : 'propose'} ${asset} ${proposal.from_version} -> ${proposal.to_version}`, { ...trailers(event), proposal: id });
        const write: RefWrite = { ref: proposalBranch(id), expectedOld: open?.head, commit: { parents: [open?.head ?? current], changes: files, message } };
        const notes = [
          `${open ? 'Superseded' : 'Opened'} proposal ${id}: ${asset} ${proposal.from_version} -> ${proposal.to_version}`,
          `Waiting for acknowledgments from: ${proposal.required_teams.join(', ')}`,
          // The exact command per team, so each can paste its own line.
          ...proposal.required_teams.map((t) => `  tessera ack ${id} --team ${t}`),
        ];
        if (open) notes.splice(1, 0, 'Earlier acknowledgments no longer count.');
        return plan([write], result(event, ExitCode.Ok, notes, { proposal: { id, required_teams: proposal.required_teams, fingerprint: proposal.fingerprint, expires_at: proposal.expires_at } }));
      },
      { author: actor, when: () => unixSeconds(at) },
    );

    const r = outcome.result;
    const render: PublishRenderInput = {
      decision: r.decision,
      action: r.action,
      dryRun,
      source: input.source,
      options: r.options,
      categoryOf: (id) => ruleById(id)?.category,
      paint: paint(),
      notes: r.notes,
      extra: r.extra,
      ...(input.file ? { file: input.file } : {}),
    };
    if (format === 'json') printJson(publishJson(render));
    else if (format === 'github') printLines(renderPublishGithub(render));
    else if (format === 'markdown') printLines(renderPublishMarkdown(render));
    else printLines(renderPublishText(render));
    return r.exitCode;
  }, { writes: true });
}

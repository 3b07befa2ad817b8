import { withRegistry } from '../context.js';
import { writeMain } from '../write.js';
import { loadContractInput, planPublishOn } from '../publish-flow.js';
import { publishJson, renderPublishGithub, renderPublishMarkdown, renderPublishText, type PublishRenderInput } from '../render/publish.js';
import { paint, printJson, printLines, resolveFormat } from '../output.js';
import { forcedFiles, filesWithVia, type PublishDecision } from '../../core/publish.js';
import { formatCommitMessage } from '../../core/commit-message.js';
import { InputError, ExitCode } from '../../core/errors.js';
import { assetDir, CONFIG_PATH } from '../../core/paths.js';
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
  const reason = opts.reason as string | undefined;
  if (force && (!reason || !reason.trim())) throw new InputError('--force needs --reason', 'say why, e.g. --reason "consumers agreed in INC-42"; it is recorded');
  const asset = input.request.asset;

  return withRegistry(opts, async (ctx) => {
    const { result } = await writeMain<Outcome>(
      ctx,
      async ({ snap, actor, now }) => {
        const { config, decision } = await planPublishOn(snap, input.request, actor.email, now, !dryRun);
        const options: DiffOptions = { mode: 'report' in decision ? decision.report.mode : 'backward', contentModel: input.request.contentModel ?? config.defaults.content_model, policy: 'strict', profile: 'tessera' };
        const base = { decision, options, notes: [] as string[], extra: {} as Record<string, unknown> };
        const trailers = (event: string, extra?: Record<string, string>) => ({ event, actor: actor.email, assets: [asset], version: decision.version, team: 'owner' in input.request && input.request.owner ? input.request.owner : undefined, ...(extra ? { extra } : {}) });
        const commit = (files: FileWrite[], subject: string, event: string, action: string, extra?: Record<string, string>) => ({
          files,
          message: formatCommitMessage(subject, stripUndefined(trailers(event, extra))),
          result: { ...base, action, exitCode: ExitCode.Ok },
        });

        switch (decision.action) {
          case 'unchanged':
            return { files: [], message: '', result: { ...base, action: 'unchanged', exitCode: ExitCode.Ok } };
          case 'created':
            return commit(decision.files, `publish ${asset} ${decision.version}`, 'contract.published', 'contract.published');
          case 'published':
            return commit(decision.files, `publish ${asset} ${decision.version}`, 'contract.published', 'contract.published');
          case 'breaking': {
            if (force) {
              const files = forcedFiles(decision, reason!, decision.consumers);
              const out = commit(files, `force-publish ${asset} ${decision.version}`, 'contract.forced', 'contract.forced', { Reason: reason! });
              out.result.notes.push(`forced over ${decision.consumers.length ? 'missing acknowledgments from ' + decision.consumers.join(', ') : 'the breaking-change check'}; reason recorded`);
              return out;
            }
            if (decision.consumers.length === 0 && !config.policy.proposal_without_consumers) {
              const out = commit(filesWithVia(decision, 'no-consumers'), `publish ${asset} ${decision.version} (breaking, no consumers)`, 'contract.published', 'contract.published');
              out.result.notes.push('breaking, but no team consumes this asset: published as a new major version');
              return out;
            }
            const notes = [
              `breaking change refused: ${decision.consumers.length} consumer team(s) depend on ${asset}: ${decision.consumers.join(', ')}`,
              `publish with --force --reason "..." to override, or make the change compatible`,
            ];
            return { files: [], message: '', result: { ...base, action: 'refused', notes, exitCode: ExitCode.Finding } };
          }
        }
      },
      { dryRun, pathspecs: [CONFIG_PATH, assetDir(asset), 'teams'] },
    );

    const render: PublishRenderInput = {
      decision: result.decision,
      action: result.action,
      dryRun,
      source: input.source,
      options: result.options,
      categoryOf: (id) => ruleById(id)?.category,
      paint: paint(),
      notes: result.notes,
      extra: result.extra,
      ...(input.file ? { file: input.file } : {}),
    };
    if (format === 'json') printJson(publishJson(render));
    else if (format === 'github') printLines(renderPublishGithub(render));
    else if (format === 'markdown') printLines(renderPublishMarkdown(render));
    else printLines(renderPublishText(render));
    return result.exitCode;
  });
}

function stripUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

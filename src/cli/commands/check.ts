import { withRegistry, isoNow } from '../context.js';
import { loadContractInput, planPublishOn } from '../publish-flow.js';
import { publishJson, renderPublishGithub, renderPublishMarkdown, renderPublishText, type PublishRenderInput } from '../render/publish.js';
import { paint, printJson, printLines, resolveFormat } from '../output.js';
import { ExitCode } from '../../core/errors.js';
import { assetDir, CONFIG_PATH } from '../../core/paths.js';
import { ruleById } from '../../core/diff/index.js';
import { defaultModeFor } from '../../core/publish.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const format = resolveFormat(opts, ['text', 'json', 'github', 'markdown']);
  const input = await loadContractInput(String(args[0]), String(args[1]), opts);
  return withRegistry(opts, async (ctx) => {
    const snap = await ctx.repo.snapshot(undefined, [CONFIG_PATH, assetDir(input.request.asset)]);
    const { config, decision } = await planPublishOn(snap, input.request, 'check@tessera.invalid', isoNow(ctx.now()), false);
    const breaking = decision.action === 'breaking';
    const notes = breaking ? [`breaking: publishing this needs acknowledgments from ${decision.consumers.join(', ') || 'nobody (no consumers)'}`] : [];
    const render: PublishRenderInput = {
      decision,
      action: breaking ? 'breaking' : decision.action,
      dryRun: true,
      source: input.source,
      options: { mode: 'report' in decision ? decision.report.mode : (input.request.mode ?? defaultModeFor(config, input.request.kind ?? 'table')), contentModel: config.defaults.content_model, policy: 'strict', profile: 'tessera' },
      categoryOf: (id) => ruleById(id)?.category,
      paint: paint(),
      notes,
      ...(input.file ? { file: input.file } : {}),
    };
    if (format === 'json') printJson(publishJson(render));
    else if (format === 'github') printLines(renderPublishGithub(render));
    else if (format === 'markdown') printLines(renderPublishMarkdown(render));
    else printLines(renderPublishText(render));
    return breaking ? ExitCode.Finding : ExitCode.Ok;
  });
}

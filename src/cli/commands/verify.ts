import { withRegistry } from '../context.js';
import { verifyRegistry } from '../../registry/verify.js';
import { githubEscapeData, githubEscapeProperty, paint, printJson, printLine, resolveFormat } from '../output.js';
import { ExitCode } from '../../core/errors.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const format = resolveFormat(opts, ['text', 'json', 'github']);
  return withRegistry(opts, async (ctx) => {
    const report = await verifyRegistry(ctx.repo, opts.since ? { since: String(opts.since) } : {});
    const bad = report.violations.length > 0;
    if (format === 'json') printJson({ schema_version: 'tessera.verify/v1', ok: !bad, ...report });
    else if (format === 'github') {
      for (const v of report.violations) printLine(`::error ${v.path ? `file=${githubEscapeProperty(v.path)},` : ''}title=${githubEscapeProperty(`tessera verify: ${v.kind}`)}::${githubEscapeData(`${v.commit.slice(0, 12)} ${v.message}`)}`);
      printLine(`::notice title=tessera verify::${report.commits} commit(s) checked, ${report.violations.length} violation(s)`);
    } else {
      const c = paint();
      for (const v of report.violations) printLine(`${c.red('✖')} ${c.bold(v.kind)}  ${v.commit.slice(0, 12)}  ${v.message}`);
      printLine(bad ? c.red(`${report.violations.length} violation(s) in ${report.commits} commit(s)`) : c.green(`ok: ${report.commits} commit(s) checked, no violations`));
    }
    return bad ? ExitCode.Finding : ExitCode.Ok;
  });
}

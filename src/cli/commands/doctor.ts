/** `tessera doctor`: one line per check; exit 3 when something is broken (warnings are allowed). */
import { diagnose, type CheckStatus } from '../../registry/doctor.js';
import { ExitCode } from '../../core/errors.js';
import { paint, printJson, printLine } from '../output.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const { location, checks, ok } = await diagnose(opts.registry as string | undefined);
  if (opts.json) {
    printJson({
      schema_version: 'tessera.doctor/v1',
      ok,
      registry: location ? { kind: location.kind, ...(location.kind === 'url' ? { url: location.url } : { path: location.path }), source: location.source } : null,
      checks: checks.map((c) => ({ name: c.name, status: c.status, detail: c.detail, ...(c.fix ? { fix: c.fix } : {}) })),
    });
  } else {
    const c = paint();
    const label: Record<CheckStatus, string> = { ok: c.green('ok  '), warn: c.yellow('warn'), fail: c.red('FAIL') };
    const width = Math.max(...checks.map((k) => k.name.length));
    for (const k of checks) printLine(`${label[k.status]}  ${k.name.padEnd(width)}  ${k.detail}${k.fix ? `; fix: ${k.fix}` : ''}`);
  }
  return ok ? ExitCode.Ok : ExitCode.Registry;
}

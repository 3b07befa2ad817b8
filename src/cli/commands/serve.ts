/**
 * `tessera serve`: the REST API until SIGTERM/SIGINT, which stops accepting
 * and lets in-flight writes finish before the process exits.
 */
import { withRegistry } from '../context.js';
import { bindError, portOption } from '../listen-options.js';
import { InputError } from '../../core/errors.js';
import { printJson, printLine } from '../output.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const port = portOption(opts.port, 8000);
  const maxBody = Number(opts.maxBody ?? 1024 * 1024);
  if (!Number.isInteger(maxBody) || maxBody < 1) throw new InputError(`--max-body ${String(opts.maxBody)} is not a number of bytes`, 'use a whole number, e.g. --max-body 1048576');
  const maxManifest = Number(opts.maxManifestBody ?? 128 * 1024 * 1024);
  if (!Number.isInteger(maxManifest) || maxManifest < 1) throw new InputError(`--max-manifest-body ${String(opts.maxManifestBody)} is not a number of bytes`, 'use a whole number, e.g. --max-manifest-body 134217728');
  const host = String(opts.host ?? '127.0.0.1');
  return withRegistry(opts, async (ctx) => {
    const { startApiServer } = await import('../../serve/server.js');
    const { teamPagesFor } = await import('./ui.js');
    const interval = Number(process.env.TESSERA_SERVE_FETCH_INTERVAL_MS ?? 5000);
    let server;
    try {
      server = await startApiServer({ ctx, host, port, maxBodyBytes: maxBody, maxManifestBytes: maxManifest, groupCommit: process.env.TESSERA_SERVE_GROUP_COMMIT !== '0', pages: await teamPagesFor(ctx), fetchIntervalMs: Number.isFinite(interval) && interval >= 0 ? interval : 5000 });
    } catch (e) {
      throw bindError(e, host, port);
    }
    if (opts.json) printJson({ schema_version: 'tessera.serve/v1', url: server.url, port: server.port });
    else printLine(`tessera serve: API at ${server.url}/api/v1 (OpenAPI: ${server.url}/api/v1/openapi.json), web UI at ${server.url}/ (sign in with an API key); SIGTERM to stop`);
    // `on`, not `once`: a second signal while writes drain must not kill the process mid-write.
    await new Promise<void>((resolve) => {
      process.on('SIGINT', resolve);
      process.on('SIGTERM', resolve);
    });
    await server.close();
    // Drained: nothing is left to finish. A handle that outlives the server (a git child still reading for a
    // request that was cut off) must not keep a stopped server's process alive; unref'd, so a clean exit is not delayed.
    setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
    return 0;
  });
}

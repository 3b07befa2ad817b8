/**
 * `tessera serve`: the REST API until SIGTERM/SIGINT, which stops accepting
 * and lets in-flight writes finish before the process exits.
 */
import { withRegistry } from '../context.js';
import { InputError } from '../../core/errors.js';
import { printJson, printLine } from '../output.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const port = Number(opts.port ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port ${String(opts.port)} is not a port number`, 'use 0 to 65535 (0: any free port)');
  const maxBody = Number(opts.maxBody ?? 1024 * 1024);
  if (!Number.isInteger(maxBody) || maxBody < 1) throw new InputError(`--max-body ${String(opts.maxBody)} is not a number of bytes`, 'use a whole number, e.g. --max-body 1048576');
  const host = String(opts.host ?? '127.0.0.1');
  return withRegistry(opts, async (ctx) => {
    const { startApiServer } = await import('../../serve/server.js');
    const { registryKeyAuth } = await import('../../serve/keys.js');
    const interval = Number(process.env.TESSERA_SERVE_FETCH_INTERVAL_MS ?? 5000);
    let server;
    try {
      server = await startApiServer({ ctx, auth: registryKeyAuth(ctx), host, port, maxBodyBytes: maxBody, fetchIntervalMs: Number.isFinite(interval) && interval >= 0 ? interval : 5000 });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'EADDRINUSE') throw new InputError(`port ${port} is already in use`, 'choose another with --port, or --port 0 for any free port');
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new InputError(`cannot bind to ${host}`, 'use an address of this machine, e.g. 127.0.0.1');
      throw e;
    }
    if (opts.json) printJson({ schema_version: 'tessera.serve/v1', url: server.url, port: server.port });
    else printLine(`tessera serve: API at ${server.url}/api/v1 (OpenAPI: ${server.url}/api/v1/openapi.json; SIGTERM to stop)`);
    // `on`, not `once`: a second signal while writes drain must not kill the process mid-write.
    await new Promise<void>((resolve) => {
      process.on('SIGINT', resolve);
      process.on('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  });
}

/**
 * `tessera ui`: serve the web UI until interrupted. Acts (acks) as the
 * local git identity, through the same code as `tessera ack`.
 */
import { spawn } from 'node:child_process';
import { withRegistry } from '../context.js';
import { bindError, portOption } from '../listen-options.js';
import { printLine } from '../output.js';

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => printLine(`tessera ui: could not open a browser; visit ${url}`));
    child.unref();
  } catch {
    printLine(`tessera ui: could not open a browser; visit ${url}`);
  }
}

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const port = portOption(opts.port, 4173);
  const host = String(opts.host ?? '127.0.0.1');
  return withRegistry(opts, async (ctx) => {
    const { startUiServer } = await import('../../ui/http/server.js');
    const location = ctx.repo.location;
    const registryLabel = location ? (location.kind === 'url' ? location.url : location.path) : ctx.repo.gitDir;
    const interval = Number(process.env.TESSERA_UI_FETCH_INTERVAL_MS ?? 5000);
    let server;
    try {
      server = await startUiServer({ ctx, host, port, registryLabel, fetchIntervalMs: Number.isFinite(interval) && interval >= 0 ? interval : 5000 });
    } catch (e) {
      throw bindError(e, host, port);
    }
    printLine(`tessera ui: serving ${registryLabel} at ${server.url} (Ctrl-C to stop)`);
    if (!['127.0.0.1', 'localhost', '::1'].includes(host)) printLine(`tessera ui: warning: bound to ${host}; anyone who can reach it can read the registry`);
    if (opts.open) openBrowser(server.url);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  });
}

/**
 * `tessera ui`: serve the web UI until interrupted. Acts (acks) as the
 * local git identity, through the same code as `tessera ack`.
 */
import { spawn } from 'node:child_process';
import { withRegistry } from '../context.js';
import { bindError, portOption } from '../listen-options.js';
import { printLine } from '../output.js';
import type { AppContext } from '../../app/context.js';
import type { TeamPagesFactory } from '../../http/team-pages.js';

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

function labelOf(ctx: AppContext): string {
  const location = ctx.repo.location;
  return location ? (location.kind === 'url' ? location.url : location.path) : ctx.repo.gitDir;
}

function msFromEnv(name: string): number | undefined {
  const v = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * The pages of this UI for `tessera serve`, signed in by API key (src/ui/team).
 * This file stays the one wiring point into src/ui: `tessera serve` asks it for the pages.
 */
export async function teamPagesFor(ctx: AppContext): Promise<TeamPagesFactory> {
  const { teamPages } = await import('../../ui/team/server.js');
  const idleMs = msFromEnv('TESSERA_SERVE_SESSION_IDLE_MS');
  const maxAgeMs = msFromEnv('TESSERA_SERVE_SESSION_MAX_AGE_MS');
  return teamPages({ registryLabel: labelOf(ctx), ...(idleMs ? { idleMs } : {}), ...(maxAgeMs ? { maxAgeMs } : {}) });
}

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const port = portOption(opts.port, 4173);
  const host = String(opts.host ?? '127.0.0.1');
  return withRegistry(opts, async (ctx) => {
    const { startUiServer } = await import('../../ui/http/server.js');
    const registryLabel = labelOf(ctx);
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

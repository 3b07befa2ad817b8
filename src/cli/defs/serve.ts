/** Definition of `tessera serve`. */
import type { Command } from 'commander';
import { examples, lazy } from './util.js';

export function defineServeCommands(program: Command): void {
  examples(
    program
      .command('serve')
      .description('serve the REST API (/api/v1, OpenAPI at /api/v1/openapi.json) and the team-wide web UI (at /, sign in with an API key) over the registry for a whole organisation; every request needs an API key (tessera key create)')
      .option('--port <port>', 'port to listen on (0: any free port)', '8000')
      .option('--host <host>', 'address to bind (anything but loopback exposes the API and the UI to your network; keys still guard them)', '127.0.0.1')
      .option('--max-body <bytes>', 'largest request body accepted, in bytes', String(1024 * 1024))
      .option('--max-manifest-body <bytes>', 'largest manifest upload (POST /api/v1/sync/dbt) accepted, in bytes', String(128 * 1024 * 1024))
      .option('--json', 'print the listening address as JSON on start')
      .action(lazy(() => import('../commands/serve.js'))),
    ['tessera serve', 'tessera serve --port 8080 --host 0.0.0.0', 'tessera serve --registry git@github.com:acme/contracts.git', 'tessera serve --max-manifest-body 536870912'],
  );
}

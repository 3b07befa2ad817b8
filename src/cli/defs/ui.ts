/** Definitions of the ui commands. */
import type { Command } from 'commander';
import { examples, lazy } from './util.js';

export function defineUiCommands(program: Command): void {
  examples(
    program
      .command('ui')
      .description('serve a local web UI over the registry: assets, contracts, diffs, proposals (with ack buttons), teams, audit log')
      .option('--port <port>', 'port to listen on (0: any free port)', '4173')
      .option('--host <host>', 'address to bind; anything but loopback exposes the registry (and acks as you) to your network', '127.0.0.1')
      .option('--open', 'open the UI in the default browser')
      .action(lazy(() => import('../commands/ui.js'))),
    ['tessera ui', 'tessera ui --port 8080 --open', 'tessera ui --registry git@github.com:acme/contracts.git'],
  );
}

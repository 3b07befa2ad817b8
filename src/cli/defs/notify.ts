/** Definition of `tessera notify` (here only its reminder mode; the delivery engine adds the rest). */
import type { Command } from 'commander';
import { examples, lazy } from './util.js';

export function defineNotifyCommands(program: Command): void {
  examples(
    program
      .command('notify')
      .description('notify the teams through their channels; with --remind, send each team one digest of the proposals still waiting for it')
      .option('--remind', 'send each team a digest of the open proposals waiting for its answer, with their expiry dates (meant for a daily schedule; not recorded, re-runs the same day repeat the webhook-id)')
      .option('--older-than <duration>', 'with --remind: only proposals created at least this long ago, e.g. 2d, 36h, 90m, 1w (default: all)')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/notify-remind.js'))),
    [
      'tessera notify --remind',
      'tessera notify --remind --older-than 2d',
      'tessera notify --remind --older-than 36h --json',
    ],
  );
}

/** Definitions of the notification commands: channel add/list/remove, notify. */
import { Option, type Command } from 'commander';
import { examples, lazy } from './util.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function defineNotifyCommands(program: Command): void {
  const channel = program.command('channel').description('manage notification channels (where a team hears about proposals)');
  examples(
    channel
      .command('add')
      .description('declare a channel serving teams; the registry stores only the names of the environment variables holding its URL and secret')
      .argument('<name>', 'channel name: lower-case letters, digits, "_" and "-"')
      .addOption(new Option('--type <type>', 'how messages are sent').choices(['webhook', 'slack', 'email']).makeOptionMandatory())
      .option('--team <team>', 'a team the channel serves; repeatable', collect, [])
      .option('--url-env <VAR>', 'environment variable holding the URL (http(s) for webhook and slack, smtp(s) for email); default TESSERA_CHANNEL_<NAME>_URL')
      .option('--secret-env <VAR>', 'environment variable holding the webhook signing secret (whsec_<base64>)')
      .option('--to <address>', 'email recipient; repeatable (email only)', collect, [])
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/channel-add.js'))),
    [
      'tessera channel add growth-hooks --type webhook --team growth --url-env GROWTH_WEBHOOK_URL --secret-env GROWTH_WEBHOOK_SECRET',
      'tessera channel add finance-slack --type slack --team finance --url-env FINANCE_SLACK_URL',
      'tessera channel add data-mail --type email --team growth --team finance --url-env SMTP_URL --to data@acme.com',
    ],
  );
  examples(
    channel
      .command('list')
      .description('list channels, their teams and the variables they read (and whether each is set here)')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/channel-list.js'))),
    ['tessera channel list', 'tessera channel list --json'],
  );
  examples(
    channel
      .command('remove')
      .description('remove a channel (a member of one of its teams)')
      .argument('<name>', 'channel name')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/channel-remove.js'))),
    ['tessera channel remove growth-hooks'],
  );
  examples(
    program
      .command('notify')
      .description('deliver every event no channel has confirmed yet, and record each delivery in the registry (safe to run from several machines at once)')
      .option('--status', 'show what is pending and what was dead-lettered, with the last error; sends nothing')
      .option('--remind', 'instead: send each team one digest of the open proposals waiting for its answer, with their expiry dates (meant for a daily schedule; not recorded, re-runs the same day repeat the webhook-id)')
      .option('--older-than <duration>', 'with --remind: only proposals created at least this long ago, e.g. 2d, 36h, 90m, 1w (default: all)')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/notify.js'))),
    [
      'tessera notify   # in the registry\'s CI on every push, or on a schedule',
      'tessera notify --status',
      'tessera notify --status --json',
      'tessera notify --remind --older-than 2d   # daily',
    ],
  );
}

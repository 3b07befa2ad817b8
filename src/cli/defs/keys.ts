/** Definitions of the API-key commands: key create, key list, key revoke (keys for tessera serve). */
import { Option, type Command } from 'commander';
import { KEY_SCOPES } from '../../core/keys.js';
import { examples, lazy } from './util.js';

export function defineKeyCommands(program: Command): void {
  const key = program.command('key').description('manage API keys: each acts as one team for scripts that use tessera serve');
  examples(
    key
      .command('create')
      .description('create an API key for a team and print its secret once (the registry keeps only a salted hash)')
      .requiredOption('--team <team>', 'the team the key acts as (you must be a member, or in policy.ci_actors)')
      .addOption(new Option('--scope <scope>', 'what the key may do: read, write (publish, ack, register) or admin').choices([...KEY_SCOPES]).default('write'))
      .option('--expires <lifetime|date>', 'when the key stops working: 90d, 12w or a date such as 2027-01-31 (default: never)')
      .option('--name <text>', 'what the key is for, shown by key list and in the commits it makes')
      .option('--json', 'machine-readable output (includes the secret)')
      .action(lazy(() => import('../commands/key-create.js'))),
    [
      'tessera key create --team growth --name "airflow prod" --expires 90d',
      'tessera key create --team finance --scope read --json | jq -r .secret',
    ],
  );
  examples(
    key
      .command('list')
      .description('list API keys with their team, scope and status (never a secret or a hash)')
      .option('--team <team>', 'only the keys of this team')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/key-list.js'))),
    ['tessera key list', 'tessera key list --team growth --json'],
  );
  examples(
    key
      .command('revoke')
      .description('revoke an API key: requests with it are refused from the next fetch of the registry on')
      .argument('<id>', 'the key id that key list shows (the part after tsk_ in the secret)')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/key-revoke.js'))),
    ['tessera key revoke 3f9a0c1d2e4b'],
  );
}

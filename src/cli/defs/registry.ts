/** Definitions of the registry commands: init, doctor, team, publish, check, consume, show, list, versions, log. */
import { Argument, Option, type Command } from 'commander';
import { MODES } from '../../core/diff/types.js';
import { examples, formatOption, lazy } from './util.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function defineRegistryCommands(program: Command): void {
  examples(
    program
      .command('init')
      .summary('create the selected registry: a local one, or initialise a shared Git remote')
      .description(
        'create the selected registry (--registry, $TESSERA_REGISTRY, .tessera.yaml, else $TESSERA_HOME/registry): a path becomes a local registry, ' +
          'a Git URL an initialised shared registry (its first commit pushed; commands use it with no further setup)',
      )
      .argument('[dir]', 'create a local registry in DIR instead; with --remote, a clone of the shared registry in DIR')
      .option('--remote <url>', 'without DIR: the same as --registry URL; with DIR: clone this shared registry into DIR (initialising it if it is empty)')
      .option('--write-config', 'also write .tessera.yaml naming the registry in the current directory (a dbt project); an existing registry is then not an error')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/init.js'))),
    [
      'tessera init --registry git@github.com:acme/data-contracts.git   # initialise an empty shared remote',
      'TESSERA_REGISTRY=git@github.com:acme/data-contracts.git tessera init',
      'cd my-dbt-project && tessera init --registry git@github.com:acme/data-contracts.git --write-config',
      'tessera init ./registry.git',
      'tessera init ./contracts --remote git@github.com:acme/data-contracts.git   # a clone of your own in ./contracts',
    ],
  );
  examples(
    program
      .command('doctor')
      .summary('check the setup: registry, reachability, identity, teams, signing')
      .description('check the setup, one line each: which registry and why, reachable, your git identity, your teams, commit signing; exit 3 if something is broken (writes nothing)')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/doctor.js'))),
    ['tessera doctor', 'tessera doctor --registry git@github.com:acme/data-contracts.git --json'],
  );

  const team = program.command('team').description('manage teams (owners and consumers of assets)');
  examples(
    team
      .command('add')
      .description('create a team, or add members to it')
      .argument('<team>', 'team name: lower-case letters, digits, "_" and "-"')
      .option('--member <email>', 'a member (git author email); repeatable', collect, [])
      .option('--contact <text>', 'how to reach the team (channel, email)')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/team-add.js'))),
    ['tessera team add growth --member ana@acme.com --member li@acme.com --contact "#growth-data"'],
  );
  examples(
    team
      .command('list')
      .description('list teams and their members')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/team-list.js'))),
    ['tessera team list --json'],
  );

  examples(
    program
      .command('publish')
      .description('publish a new contract version; a breaking change becomes a proposal')
      .argument('[asset]', 'asset id, e.g. analytics.users (an ODCS contract with several objects: the prefix of their ids)')
      .argument('[schema-file]', 'JSON Schema (JSON or YAML), an Avro schema (.avsc), a contract document with schema/guarantees/compatibility_mode, or an ODCS v3 contract (kind: DataContract); - for stdin')
      .option('--owner <team>', 'owning team (required for a new asset; an ODCS contract offers its team.name)')
      .addOption(new Option('--mode <mode>', 'compatibility mode').choices(MODES))
      .addOption(new Option('--content-model <model>', 'meaning of objects without additionalProperties').choices(['open', 'closed']))
      .option('--version <x.y.z>', 'version to publish (default: the suggested bump)')
      .option('--guarantees <file>', 'YAML/JSON list of data-quality guarantees')
      .option('--description <text>', 'what the asset is')
      .addOption(new Option('--kind <kind>', 'asset kind').choices(['model', 'source', 'seed', 'snapshot', 'table', 'view', 'topic', 'file', 'other']))
      .option('--object <name>', 'ODCS: publish only the schema object with this name, as <asset>')
      .option('--from-openapi <file>', 'publish one asset per components.schemas entry of an OpenAPI 3.0/3.1 document (no <asset> or <schema-file>)')
      .option('--operation <operationId>', 'with --from-openapi: only the response schema of this operation')
      .option('--prefix <prefix>', 'with --from-openapi: asset id prefix (default: the info.title as an id, and a dot)')
      .option('--dry-run', 'show what would happen, write nothing')
      .option('--force', 'publish a breaking change without the missing acknowledgments (needs --reason)')
      .option('--reason <text>', 'why --force is justified (recorded)')
      .option('--supersede', 'replace the open proposal of this asset (earlier acks stop counting)')
      .addOption(formatOption(['text', 'json', 'github', 'markdown']))
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/publish.js'))),
    [
      'tessera publish analytics.users users.json --owner core-data',
      'tessera publish analytics.users users.yaml --dry-run',
      'tessera publish analytics.users users.json --force --reason "GDPR erasure, consumers informed in INC-42"',
      'tessera publish seller contract.odcs.yaml --dry-run            # ODCS: one asset per schema object (seller.<object>)',
      'tessera publish --from-openapi openapi.yaml --prefix petstore. --owner api-team   # OpenAPI: one asset per components.schemas entry',
      'tessera publish shop.orders order.avsc --owner checkout --kind topic   # Avro: judged by Avro resolution',
    ],
  );

  examples(
    program
      .command('check')
      .description('what publish would do, writing nothing; exit 1 if the change is breaking')
      .argument('[asset]', 'asset id')
      .argument('[schema-file]', 'JSON Schema, Avro schema (.avsc), contract document or ODCS v3 contract; - for stdin')
      .option('--guarantees <file>', 'YAML/JSON list of data-quality guarantees')
      .option('--object <name>', 'ODCS: check only the schema object with this name, as <asset>')
      .option('--from-openapi <file>', 'check one asset per components.schemas entry of an OpenAPI document')
      .option('--operation <operationId>', 'with --from-openapi: only the response schema of this operation')
      .option('--prefix <prefix>', 'with --from-openapi: asset id prefix')
      .addOption(new Option('--mode <mode>', "judge under this mode instead of the asset's (consumer for tables, backward for topics and files)").choices(MODES))
      .addOption(formatOption(['text', 'json', 'github', 'markdown']))
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/check.js'))),
    ['tessera check analytics.users users.json', 'tessera check analytics.users users.json --format github', 'tessera check events.clicks clicks.json --mode full', 'tessera check seller contract.odcs.yaml --object tbl'],
  );

  examples(
    program
      .command('set-mode')
      .description("move assets to a compatibility mode in one commit (an asset otherwise keeps the mode its latest version was judged under)")
      .addArgument(new Argument('<mode>', 'the mode to move to').choices(MODES))
      .argument('[assets...]', 'asset ids')
      .option('--tables', 'every asset of a table kind (table, view, model, source, seed, snapshot), and the default for new tables in tessera.yaml')
      .addOption(new Option('--guarantee-mode <mode>', 'also set how removed or weakened guarantees count on these assets').choices(['strict', 'notify', 'ignore']))
      .option('--dry-run', 'show what would change, write nothing')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/set-mode.js'))),
    [
      'tessera set-mode consumer --tables --guarantee-mode strict   # move a registry made before the consumer mode',
      'tessera set-mode full events.clicks',
      'tessera set-mode consumer --tables --dry-run --json',
    ],
  );

  examples(
    program
      .command('consume')
      .description('register a team as a consumer of an asset')
      .argument('<asset>', 'asset id')
      .requiredOption('--team <team>', 'consuming team')
      .option('--purpose <text>', 'what the team uses it for')
      .option('--fields <a,b>', 'the fields the team reads (comma-separated columns, a.b for nested); breaking changes to other columns only inform it')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/consume.js'))),
    ['tessera consume analytics.users --team growth --purpose "weekly retention dashboard" --fields user_id,created_at'],
  );
  examples(
    program
      .command('unconsume')
      .description('remove a team\'s consumer registration')
      .argument('<asset>', 'asset id')
      .requiredOption('--team <team>', 'consuming team')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/unconsume.js'))),
    ['tessera unconsume analytics.users --team growth'],
  );

  examples(
    program
      .command('show')
      .description('show an asset (contract, consumers, versions) or a proposal')
      .argument('<asset-or-proposal>', 'asset id or proposal id')
      .option('--version <x.y.z>', 'a specific version (default: current)')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/show.js'))),
    ['tessera show analytics.users', 'tessera show analytics.users --version 1.0.0 --json'],
  );
  examples(
    program
      .command('list')
      .description('list assets')
      .option('--owner <team>', 'only assets this team owns')
      .option('--consumer <team>', 'only assets this team consumes')
      .option('--search <text>', 'match id, description or tags')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/list.js'))),
    ['tessera list', 'tessera list --consumer growth --json'],
  );
  examples(
    program
      .command('versions')
      .description('list the published versions of an asset')
      .argument('<asset>', 'asset id')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/versions.js'))),
    ['tessera versions analytics.users'],
  );
  examples(
    program
      .command('log')
      .description('the audit trail: every registry change with its actor, from the commits\' trailers')
      .option('--asset <asset>', 'only events about this asset')
      .option('--team <team>', 'only events by or about this team')
      .option('--event <event>', 'only this event kind (prefix match, e.g. contract, proposal, quality)')
      .option('--since <date>', 'only events at or after this date (ISO, or git\'s "2 weeks ago")')
      .option('--limit <n>', 'at most this many events', '200')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/log.js'))),
    ['tessera log --asset analytics.users', 'tessera log --event proposal --since 2026-01-01 --json'],
  );
}

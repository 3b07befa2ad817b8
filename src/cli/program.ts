/**
 * The command tree: names, arguments, options and help text only. Each
 * action imports its implementation (src/cli/commands/<name>.js) on demand,
 * so `tessera --help` never loads the diff engine, git code or the UI.
 */
import { Command, Option } from 'commander';
import { MODES } from '../core/diff/types.js';
import { examples, formatOption, lazy } from './defs/util.js';
import { defineRegistryCommands } from './defs/registry.js';
import { defineProposalCommands } from './defs/proposals.js';
import { defineDbtCommands } from './defs/dbt.js';
import { defineUiCommands } from './defs/ui.js';
import { defineServeCommands } from './defs/serve.js';
import { defineShellCommands } from './defs/shell.js';
import { defineNotifyCommands } from './defs/notify.js';
import { defineKeyCommands } from './defs/keys.js';
import { defineFormatCommands } from './defs/formats.js';

export type { CommandRun } from './defs/util.js';

/** Kept in step with package.json by test/cli/version.test.ts. */
export const PACKAGE_VERSION = '0.1.0';

const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  a policy finding (breaking change, missing acknowledgments, verify violations)
  2  bad usage or bad input (unreadable file, invalid schema, unknown team or asset)
  3  git or registry failure (remote down, corrupt registry, push retries exhausted)

Environment:
  TESSERA_REGISTRY   registry path or Git URL (overridden by --registry)
  TESSERA_HOME       home of the default local registry (default ~/.tessera)
  NO_COLOR           disable colour; colour is only used on a terminal anyway
  TESSERA_DEBUG=1    print stack traces on errors
  TESSERA_GIT_TIMEOUT  seconds a clone, fetch or push may take before it is abandoned (default 60)
  TESSERA_TIMINGS=1  print the phases of sync-dbt with their times on stderr
  TESSERA_CODE_CACHE=0  do not use or write the start-up code cache (~/.cache/tessera/v8)`;

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('tessera')
    .description('Data contracts in a Git repository: breaking schema changes become proposals\nthat merge only when every consumer team has acknowledged them.')
    .version(PACKAGE_VERSION, '-V', 'output the version number (also: tessera --version)')
    .option('--registry <path|url>', 'registry to use: a local path or a Git URL (default: $TESSERA_REGISTRY, .tessera.yaml, ~/.tessera/registry)')
    .option('--no-notify', 'after a write, do not deliver its notifications inline through the channels set up here (tessera notify sends them later)')
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP);

  // The order of --help: the registry workflow first, then schema tools, then integrations.
  defineRegistryCommands(program);
  defineProposalCommands(program);
  defineNotifyCommands(program);
  defineSchemaCommands(program);
  defineFormatCommands(program);
  defineDbtCommands(program);
  defineUiCommands(program);
  defineServeCommands(program);
  defineKeyCommands(program);
  defineShellCommands(program);
  speakAsTessera(program);
  return program;
}

/**
 * commander's own errors (unknown option, missing argument, bad choice) in
 * the voice of every other error: one line on stderr, `tessera: ...`, naming
 * the help of the command that was mistyped (tessera publish --help).
 */
function speakAsTessera(cmd: Command, prefix = ''): void {
  const name = prefix ? `${prefix} ${cmd.name()}` : cmd.name();
  cmd.configureOutput({
    outputError: (str, write) => write(`tessera: ${str.replace(/^error: /, '').trimEnd()} (run ${name} --help for usage)\n`),
  });
  for (const sub of cmd.commands) speakAsTessera(sub, name);
}

function defineSchemaCommands(program: Command): void {
  examples(
    program
      .command('diff')
      .description('compare two schemas (JSON Schema, or Avro by its resolution rules) and report every change with its rule id and verdict')
      .argument('<old>', 'old schema: a JSON or YAML file, an Avro .avsc file, asset@version from the registry, or - for stdin')
      .argument('<new>', 'new schema: a JSON or YAML file, an Avro .avsc file, asset@version from the registry, or - for stdin')
      .addOption(new Option('--mode <mode>', 'compatibility mode (default: the new contract\'s compatibility_mode, else backward)').choices(MODES))
      .addOption(new Option('--content-model <model>', 'meaning of objects that do not declare additionalProperties (default: the new contract\'s content_model, else closed)').choices(['open', 'closed']))
      .addOption(new Option('--policy <policy>', "Confluent's compatibility policy").choices(['strict', 'lenient']).default('strict'))
      .addOption(new Option('--profile <profile>', 'tessera adds format checks and rename hints; confluent reproduces Confluent exactly').choices(['tessera', 'confluent']).default('tessera'))
      .addOption(formatOption(['text', 'json', 'github', 'markdown']))
      .option('--json', 'same as --format json')
      .action(lazy(() => import('./commands/diff.js'))),
    [
      'tessera diff fixtures/schemas/users-v1.json fixtures/schemas/users-v2.json',
      'tessera diff old.yaml new.yaml --mode full --json',
      'cat new.json | tessera diff old.json - --format github',
      'tessera diff order-v1.avsc order-v2.avsc --mode full',
    ],
  );

  examples(
    program
      .command('rules')
      .description('list every rule of the diff engine with its verdicts')
      .option('--avro', 'list the Avro rules (contracts published from .avsc) instead')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('./commands/rules.js'))),
    ['tessera rules', 'tessera rules --json | jq ".rules[].id"', 'tessera rules --avro'],
  );

  examples(
    program
      .command('explain')
      .description('explain one rule: meaning, verdicts, rationale and an example')
      .argument('<rule>', 'rule id, e.g. PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL or avro.field-added-without-default')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('./commands/explain.js'))),
    ['tessera explain TYPE_NARROWED', 'tessera explain avro.enum-symbol-added-without-default'],
  );
}


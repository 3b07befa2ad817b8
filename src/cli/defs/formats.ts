/** Definition of `tessera export`: a published contract in another format. */
import { Option, type Command } from 'commander';
import { EXPORT_FORMATS } from '../../core/formats/names.js';
import { examples, lazy } from './util.js';

export function defineFormatCommands(program: Command): void {
  examples(
    program
      .command('export')
      .description('write a published contract as ODCS, JSON Schema, Avro or a dbt models: block; what the format cannot express is listed on stderr')
      .argument('<asset>', 'asset id, optionally with @x.y.z (default: the current version), e.g. analytics.users@1.2.0')
      .addOption(new Option('--format <format>', 'the format to write').choices([...EXPORT_FORMATS]).makeOptionMandatory())
      .option('-o, --output <file>', 'write to this file instead of stdout')
      .option('--json', 'machine-readable output: the document and what it could not express')
      .action(lazy(() => import('../commands/export.js'))),
    [
      'tessera export analytics.users --format odcs > users.odcs.yaml',
      'tessera export analytics.users@1.2.0 --format dbt-yml -o models/users.yml',
      'tessera export events.clicks --format avro -o clicks.avsc',
      'tessera export analytics.users --format jsonschema --json',
    ],
  );
}

/** Definitions of the dbt commands: sync-dbt and record-results. */
import type { Command } from 'commander';
import { examples, formatOption, lazy } from './util.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function defineDbtCommands(program: Command): void {
  examples(
    program
      .command('sync-dbt')
      .description('sync a dbt manifest into the registry: new and compatible contracts in one commit, a proposal per breaking change')
      .argument('<manifest.json>', 'dbt target/manifest.json (manifest v4 to v12, dbt >= 1.0)')
      .option('--dry-run', 'report what would happen, write nothing')
      .option('--fail-on <level>', 'exit 1 when a finding reaches this level: breaking, warning or never', 'breaking')
      .addOption(formatOption(['text', 'json', 'github', 'markdown']))
      .option('--owner-default <team>', 'owner team of assets the manifest gives no owner')
      .option('--select <glob>', 'only assets whose id, unique_id or package:name match; repeatable', collect, [])
      .option('--json', 'same as --format json')
      .option('--report-json <file>', 'also write the --json document to this file, whatever --format prints (CI reads its outputs from it)')
      .option('--no-memo', 'plan in full even when the manifest and the registry are unchanged since the last sync (also: TESSERA_SYNC_MEMO=0)')
      .option('--pull-request [number]', "check a pull request's manifest: plan against main, write nothing on main, open or update this pull request's proposals and fail until they are acknowledged (without a number: from the GitHub pull_request event or GitLab merge request pipeline)")
      .option('--pull-request-url <url>', "the pull request's web address, recorded on its proposals (default: from the CI's variables)")
      .option('--no-plan-cache', 'parse and plan the manifest even when one with the same contract input (SQL aside) was planned before (also: TESSERA_PLAN_CACHE=0)')
      .action(lazy(() => import('../commands/sync-dbt.js'))),
    [
      'tessera sync-dbt target/manifest.json --owner-default data-platform',
      'tessera sync-dbt target/manifest.json --dry-run --format markdown > comment.md',
      'tessera sync-dbt target/manifest.json --format github --fail-on warning',
      "tessera sync-dbt target/manifest.json --select 'marts.*' --select 'shop:orders'",
      'tessera sync-dbt target/manifest.json --pull-request 42 --pull-request-url https://github.com/acme/dbt/pull/42 --format github',
    ],
  );

  examples(
    program
      .command('record-results')
      .description('record dbt test results (run_results.json) as data-quality events, in one commit')
      .argument('<run_results.json>', 'dbt target/run_results.json from dbt build or dbt test')
      .requiredOption('--manifest <manifest.json>', 'the manifest of the same project (maps tests to assets and guarantees)')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/record-results.js'))),
    ['tessera record-results target/run_results.json --manifest target/manifest.json'],
  );
}
